package telnyx

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// DefaultAPIKeySecretKey is the Secret key that holds the API key when the
// flag names none.
const DefaultAPIKeySecretKey = "api-key"

// Options are the manager's command-line settings for this adapter. The API
// key is not among them: only a reference to the Secret that holds it is.
type Options struct {
	BaseURL            string
	APIKeySecret       string
	PlatformSPIDs      string
	ConnectionID       string
	MessagingProfileID string
	LookupTypes        string
	Timeout            time.Duration
	WebhookBindAddress string
	WebhookPublicKey   string
	WebhookTolerance   time.Duration
}

// RegisterFlags adds the --telnyx-* flags to fs.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	d := DefaultConfig()
	fs.StringVar(&o.BaseURL, "telnyx-base-url", d.BaseURL,
		"Telnyx API root, including /v2; point it at a local fake for tests.")
	fs.StringVar(&o.APIKeySecret, "telnyx-api-key-secret", "",
		"Secret holding the Telnyx API key, as namespace/name or namespace/name:key "+
			"(key "+DefaultAPIKeySecretKey+" by default).")
	fs.StringVar(&o.PlatformSPIDs, "telnyx-platform-spids", "",
		"Comma-separated service provider ids of the platform: a lookup showing one "+
			"means the number routes to us.")
	fs.StringVar(&o.ConnectionID, "telnyx-connection-id", "",
		"Telnyx connection that answers the platform's numbers; activation attaches it.")
	fs.StringVar(&o.MessagingProfileID, "telnyx-messaging-profile-id", "",
		"Telnyx messaging profile for ported numbers; when set, orders also port and "+
			"track messaging routes.")
	fs.StringVar(&o.LookupTypes, "telnyx-lookup-types", "",
		"Comma-separated extra data sets of routing lookups, such as carrier; each is "+
			"billed, and portability details come without any.")
	fs.DurationVar(&o.Timeout, "telnyx-http-timeout", d.Timeout,
		"Timeout of one call to the Telnyx API.")
	fs.StringVar(&o.WebhookBindAddress, "telnyx-webhook-bind-address", "",
		"Address serving signed Telnyx porting webhooks, such as :9444; empty disables "+
			"webhooks (polling alone still follows every order).")
	fs.StringVar(&o.WebhookPublicKey, "telnyx-webhook-public-key", "",
		"The account's base64 Ed25519 public key from the Telnyx portal, which verifies "+
			"webhooks.")
	fs.DurationVar(&o.WebhookTolerance, "telnyx-webhook-tolerance", DefaultWebhookTolerance,
		"How old a webhook's timestamp may be before it is refused as a replay.")
}

// Config returns the adapter configuration of o with the API key read from
// the Secret.
func (o *Options) Config(apiKey string) Config {
	cfg := DefaultConfig()
	cfg.BaseURL = o.BaseURL
	cfg.APIKey = apiKey
	cfg.PlatformSPIDs = splitList(o.PlatformSPIDs)
	cfg.ConnectionID = strings.TrimSpace(o.ConnectionID)
	cfg.MessagingProfileID = strings.TrimSpace(o.MessagingProfileID)
	cfg.LookupTypes = splitList(o.LookupTypes)
	if o.Timeout > 0 {
		cfg.Timeout = o.Timeout
	}
	return cfg
}

// APIKeyFromSecret reads the API key from the Secret that ref names, as
// namespace/name or namespace/name:key. Errors name the Secret, never its
// content.
func APIKeyFromSecret(ctx context.Context, c client.Reader, ref string) (string, error) {
	key, name, err := ParseSecretRef(ref)
	if err != nil {
		return "", err
	}
	var s corev1.Secret
	if err := c.Get(ctx, name, &s); err != nil {
		return "", fmt.Errorf("reading Secret %s for the Telnyx API key: %w", name, err)
	}
	v := strings.TrimSpace(string(s.Data[key]))
	if v == "" {
		return "", fmt.Errorf("secret %s has no key %q, or it is empty", name, key)
	}
	return v, nil
}

// ParseSecretRef reads namespace/name or namespace/name:key.
func ParseSecretRef(ref string) (string, types.NamespacedName, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", types.NamespacedName{}, errors.New("--telnyx-api-key-secret is required " +
			"with --provider=telnyx")
	}
	path, key, hasKey := strings.Cut(ref, ":")
	if !hasKey {
		key = DefaultAPIKeySecretKey
	}
	ns, name, ok := strings.Cut(path, "/")
	if !ok || ns == "" || name == "" || key == "" || strings.Contains(name, "/") {
		return "", types.NamespacedName{}, fmt.Errorf("--telnyx-api-key-secret %q is not "+
			"namespace/name or namespace/name:key", ref)
	}
	return key, types.NamespacedName{Namespace: ns, Name: name}, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
