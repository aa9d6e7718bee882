package health_test

import (
	"strings"
	"testing"

	"github.com/numberport/numberport/internal/health"
)

// TestEvaluate holds the harness to the sandbox Argo CD gives a custom health
// check, so that a script passing here does not fail there.
func TestEvaluate(t *testing.T) {
	obj := map[string]any{
		"metadata": map[string]any{"generation": float64(3)},
		"status": map[string]any{
			"conditions": []any{
				map[string]any{"type": "Ready"},
				map[string]any{"type": "Stalled"},
			},
			"numberCount": int64(2),
			"missing":     nil,
		},
	}
	cases := []struct {
		name    string
		script  string
		want    health.Result
		wantErr string
	}{
		{
			name:   "arrays are indexed from 1",
			script: `return {status = "Healthy", message = obj.status.conditions[2].type}`,
			want:   health.Result{Status: "Healthy", Message: "Stalled"},
		},
		{
			name: "numbers are floats that print as integers",
			script: `return {status = "Healthy",
				message = obj.metadata.generation / 2 .. " " .. obj.status.numberCount}`,
			want: health.Result{Status: "Healthy", Message: "1.5 2"},
		},
		{
			name:   "null fields are nil",
			script: `return {status = "Healthy", message = tostring(obj.status.missing)}`,
			want:   health.Result{Status: "Healthy", Message: "nil"},
		},
		{
			name:   "the message is optional",
			script: `return {status = "Progressing"}`,
			want:   health.Result{Status: "Progressing"},
		},
		{
			name:    "the string library is closed",
			script:  `return {status = "Healthy", message = string.format("%d", 1)}`,
			wantErr: "non-table object(nil) with key 'format'",
		},
		{
			name:    "string methods are closed",
			script:  `return {status = "Healthy", message = ("abc"):upper()}`,
			wantErr: "with key 'upper'",
		},
		{
			name:    "the math library is closed",
			script:  `return {status = "Healthy", message = tostring(math.floor(1.5))}`,
			wantErr: "non-table object(nil) with key 'floor'",
		},
		{
			name:    "a table is required",
			script:  `return "Healthy"`,
			wantErr: "not a table",
		},
		{
			name:    "the status must be one Argo CD knows",
			script:  `return {status = "Ready"}`,
			wantErr: `status "Ready"`,
		},
		{
			name:    "the message must be a string",
			script:  `return {status = "Healthy", message = 3}`,
			wantErr: "number message",
		},
		{
			name:    "a script that runs too long is stopped",
			script:  `while true do end`,
			wantErr: "context deadline exceeded",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := health.Evaluate(tc.script, obj)

			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, %v; want an error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
