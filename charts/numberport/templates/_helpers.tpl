{{/*
The chart's name, or nameOverride.
*/}}
{{- define "numberport.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object's name. A release called numberport gets the same
names as config/default, which keeps both installers' docs interchangeable.
*/}}
{{- define "numberport.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
numberport.resourceName names one object: the prefix and a suffix, within
the 63 characters that Service names allow. Call it with a list of the root
context and the suffix.
*/}}
{{- define "numberport.resourceName" -}}
{{- $root := index . 0 }}
{{- printf "%s-%s" (include "numberport.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "numberport.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "numberport.labels" -}}
helm.sh/chart: {{ include "numberport.chart" . }}
{{ include "numberport.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that select the manager's pods. They are part of the Deployment's
immutable selector, so they never change between chart versions.
*/}}
{{- define "numberport.selectorLabels" -}}
app.kubernetes.io/name: {{ include "numberport.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
control-plane: controller-manager
{{- end }}

{{- define "numberport.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "numberport.resourceName" (list . "controller-manager")) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "numberport.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
numberport.webhookEnabled is "true" when the manager serves Telnyx webhooks.
Webhooks belong to the Telnyx provider, so asking for them with another
provider is a mistake the chart reports instead of ignoring.
*/}}
{{- define "numberport.webhookEnabled" -}}
{{- if .Values.telnyx.webhook.enabled }}
{{- if ne .Values.provider "telnyx" }}
{{- fail "telnyx.webhook.enabled needs provider: telnyx" }}
{{- end }}
{{- true }}
{{- end }}
{{- end }}

{{/*
The manager's flags. Metrics are always served, over HTTPS on 8443, the way
config/default serves them.
*/}}
{{- define "numberport.args" -}}
- --leader-elect
- --metrics-bind-address=:8443
- --metrics-secure=true
- --health-probe-bind-address=:8081
- {{ printf "--provider=%s" .Values.provider | quote }}
{{- if .Values.watchNamespaces }}
- {{ printf "--namespaces=%s" (join "," .Values.watchNamespaces) | quote }}
{{- end }}
{{- if eq .Values.provider "simulator" }}
{{- include "numberport.simulatorArgs" . }}
{{- else if eq .Values.provider "telnyx" }}
{{- include "numberport.telnyxArgs" . }}
{{- else }}
{{- fail (printf "provider %q is unknown: use simulator or telnyx" .Values.provider) }}
{{- end }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}

{{- define "numberport.simulatorArgs" -}}
{{- with .Values.simulator.timeline }}
- {{ printf "--simulator-timeline=%s" . | quote }}
{{- end }}
{{- end }}

{{- define "numberport.telnyxArgs" -}}
{{- $t := .Values.telnyx }}
{{- $secret := required "telnyx.apiKeySecret.name is required with provider: telnyx" $t.apiKeySecret.name }}
{{- $ns := default .Release.Namespace $t.apiKeySecret.namespace }}
- {{ printf "--telnyx-base-url=%s" $t.baseURL | quote }}
- {{ printf "--telnyx-api-key-secret=%s/%s:%s" $ns $secret (default "api-key" $t.apiKeySecret.key) | quote }}
{{- with $t.platformSPIDs }}
- {{ printf "--telnyx-platform-spids=%s" (join "," .) | quote }}
{{- end }}
{{- with $t.connectionID }}
- {{ printf "--telnyx-connection-id=%s" . | quote }}
{{- end }}
{{- with $t.messagingProfileID }}
- {{ printf "--telnyx-messaging-profile-id=%s" . | quote }}
{{- end }}
{{- with $t.lookupTypes }}
- {{ printf "--telnyx-lookup-types=%s" (join "," .) | quote }}
{{- end }}
{{- with $t.httpTimeout }}
- {{ printf "--telnyx-http-timeout=%s" . | quote }}
{{- end }}
{{- if include "numberport.webhookEnabled" . }}
- {{ printf "--telnyx-webhook-bind-address=:%v" $t.webhook.port | quote }}
{{- $key := required "telnyx.webhook.publicKey is required when telnyx.webhook.enabled is true" $t.webhook.publicKey }}
- {{ printf "--telnyx-webhook-public-key=%s" $key | quote }}
{{- with $t.webhook.tolerance }}
- {{ printf "--telnyx-webhook-tolerance=%s" . | quote }}
{{- end }}
{{- end }}
{{- end }}
