package schedule

import (
	"testing"
	"time"
)

func TestMessagingDeadline(t *testing.T) {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	toronto, err := time.LoadLocation("America/Toronto")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		country     string
		activatedAt time.Time
		want        time.Time
	}{
		{
			"US over Thanksgiving", "US",
			time.Date(2025, 11, 26, 11, 30, 0, 0, newYork),
			time.Date(2025, 12, 2, 11, 30, 0, 0, newYork),
		},
		{
			"CA over Christmas and Boxing Day", "CA",
			time.Date(2025, 12, 23, 11, 30, 0, 0, toronto),
			time.Date(2025, 12, 30, 11, 30, 0, 0, toronto),
		},
		{
			"activated on a Saturday", "US",
			time.Date(2025, 6, 14, 8, 0, 0, 0, newYork),
			time.Date(2025, 6, 18, 8, 0, 0, 0, newYork),
		},
		{
			"US across spring forward", "US",
			time.Date(2025, 3, 6, 11, 30, 0, 0, newYork),
			time.Date(2025, 3, 11, 11, 30, 0, 0, newYork),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MessagingDeadline(tt.activatedAt, tt.country); !got.Equal(tt.want) {
				t.Errorf("MessagingDeadline(%s) = %s, want %s", tt.activatedAt, got, tt.want)
			}
		})
	}
}
