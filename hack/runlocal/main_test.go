package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSamplesMode(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{name: "kustomization", files: []string{"kustomization.yaml", "a.yaml"}, want: "-k"},
		{name: "plain manifests", files: []string{"a.yaml", "README.md"}, want: "-f"},
		{name: "nothing to apply", files: []string{"README.md"}, want: ""},
		{name: "empty", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := samplesMode(dir)
			if err != nil || got != tt.want {
				t.Errorf("samplesMode() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestSamplesModeMissingDirectory(t *testing.T) {
	got, err := samplesMode(filepath.Join(t.TempDir(), "absent"))
	if err != nil || got != "" {
		t.Errorf("samplesMode() = %q, %v; want no samples and no error", got, err)
	}
}

func TestDatedToday(t *testing.T) {
	in := "spec:\n  documents:\n    invoice:\n      issueDate: \"2026-11-20\"\n" +
		"      other: 2026-11-20\n    issueDate: 2025-01-02\n"
	want := "spec:\n  documents:\n    invoice:\n      issueDate: \"2027-03-01\"\n" +
		"      other: 2026-11-20\n    issueDate: \"2027-03-01\"\n"
	if got := string(datedToday([]byte(in), "2027-03-01")); got != want {
		t.Errorf("datedToday() =\n%s\nwant\n%s", got, want)
	}
}
