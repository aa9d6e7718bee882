package simulator

import (
	"flag"
	"io"
	"testing"
	"time"
)

func TestTimelines(t *testing.T) {
	c := Compressed()
	if total := c.ReviewDelay + c.PortDelay + c.MessagingDelay; total < 90*time.Second ||
		total > 2*time.Minute {
		t.Errorf("compressed port with texting takes %s", total)
	}
	r := Realistic()
	const week = 7 * 24 * time.Hour
	if total := r.ReviewDelay + r.PortDelay; total < 4*week || total > 6*week {
		t.Errorf("realistic port date %s after submission", total)
	}
	if r.CancelCutoff != 48*time.Hour || r.CancellationDeadline != 2*week {
		t.Errorf("realistic cutoff %s, deadline %s", r.CancelCutoff, r.CancellationDeadline)
	}
	for _, cfg := range []Config{c, r, DefaultConfig()} {
		if err := cfg.Validate(); err != nil {
			t.Error(err)
		}
	}
}

func TestRegisterFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want func(*Config)
	}{
		{"defaults", nil, func(*Config) {}},
		{"one duration", []string{"--simulator-review-delay=5s"},
			func(c *Config) { c.ReviewDelay = 5 * time.Second }},
		{"preset", []string{"--simulator-timeline=realistic"},
			func(c *Config) { *c = Realistic() }},
		{"explicit wins over a later preset",
			[]string{"--simulator-port-delay=2m", "--simulator-timeline=realistic"},
			func(c *Config) { *c = Realistic(); c.PortDelay = 2 * time.Minute }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			fs := flag.NewFlagSet("manager", flag.ContinueOnError)
			cfg.RegisterFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			want := DefaultConfig()
			tt.want(&want)
			if cfg != want {
				t.Fatalf("config = %+v, want %+v", cfg, want)
			}
		})
	}
}

func TestRegisterFlagsRejects(t *testing.T) {
	for _, arg := range []string{"--simulator-timeline=slow", "--simulator-cancel-delay=soon"} {
		cfg := DefaultConfig()
		fs := flag.NewFlagSet("manager", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		cfg.RegisterFlags(fs)
		if err := fs.Parse([]string{arg}); err == nil {
			t.Errorf("%s was accepted", arg)
		}
	}
	cfg := DefaultConfig()
	cfg.CancelCutoff = -time.Second
	if err := cfg.Validate(); err == nil {
		t.Error("a negative cutoff is valid")
	}
}
