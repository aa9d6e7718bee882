package businessday

import (
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("loading %s: %v", name, err)
	}
	return loc
}

// at builds 09:30 on a date in UTC, a time of day with no surprises.
func at(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 30, 0, 0, time.UTC)
}

func TestAdd(t *testing.T) {
	tests := []struct {
		name    string
		country string
		from    time.Time
		days    int
		want    time.Time
	}{
		{"US Thanksgiving is skipped", US, at(2025, 11, 26), 1, at(2025, 11, 28)},
		{"US day after Thanksgiving is worked", US, at(2025, 11, 26), 2, at(2025, 12, 1)},
		{"US Thanksgiving 2024", US, at(2024, 11, 27), 1, at(2024, 11, 29)},
		{"US three days over Thanksgiving", US, at(2024, 11, 26), 3, at(2024, 12, 2)},
		{"CA Thanksgiving is in October", CA, at(2025, 11, 26), 1, at(2025, 11, 27)},

		{"CA Christmas and Boxing Day on weekdays", CA, at(2025, 12, 24), 1, at(2025, 12, 29)},
		{"CA Christmas on Saturday, both observed", CA, at(2021, 12, 24), 1, at(2021, 12, 29)},
		{"CA Christmas on Sunday, Boxing Day moves", CA, at(2022, 12, 23), 1, at(2022, 12, 28)},
		{"US has no Boxing Day", US, at(2025, 12, 24), 1, at(2025, 12, 26)},

		{"CA Canada Day on a Tuesday", CA, at(2025, 6, 30), 1, at(2025, 7, 2)},
		{"CA Canada Day on Saturday observed Monday", CA, at(2023, 6, 30), 1, at(2023, 7, 4)},
		{"US works on Canada Day's observance", US, at(2023, 6, 30), 1, at(2023, 7, 3)},

		{"US Independence Day observed Friday", US, at(2026, 7, 2), 1, at(2026, 7, 6)},
		{"US Independence Day observed Monday", US, at(2027, 7, 2), 1, at(2027, 7, 6)},
		{"US backwards over an observed Friday", US, at(2026, 7, 6), -1, at(2026, 7, 2)},

		{"US New Year observed in the old year", US, at(2021, 12, 30), 1, at(2022, 1, 3)},
		{"CA New Year on Saturday observed Monday", CA, at(2021, 12, 31), 1, at(2022, 1, 4)},
		{"CA New Year on Sunday observed Monday", CA, at(2022, 12, 30), 1, at(2023, 1, 3)},
		{"US backwards into the old year", US, at(2026, 1, 2), -2, at(2025, 12, 30)},

		{"CA Good Friday off, Easter Monday worked", CA, at(2025, 4, 17), 1, at(2025, 4, 21)},
		{"US Good Friday worked", US, at(2025, 4, 17), 1, at(2025, 4, 18)},
		{"CA Civic Holiday worked", CA, at(2025, 8, 1), 1, at(2025, 8, 4)},

		{"Saturday counts from Monday", US, at(2025, 11, 29), 1, at(2025, 12, 1)},
		{"holiday counts from the next day", US, at(2025, 11, 27), 1, at(2025, 11, 28)},
		{"zero days keeps a weekend", US, at(2025, 11, 29), 0, at(2025, 11, 29)},
		{"lower-case country", "ca", at(2025, 6, 30), 1, at(2025, 7, 2)},
		{"unknown country counts weekends", "MX", at(2025, 11, 26), 1, at(2025, 11, 27)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Add(tt.from, tt.days, tt.country)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%s %s, %d, %s) = %s %s, want %s %s", tt.from.Weekday(),
					tt.from.Format(time.DateOnly), tt.days, tt.country, got.Weekday(),
					got.Format(time.DateOnly), tt.want.Weekday(), tt.want.Format(time.DateOnly))
			}
		})
	}
}

func TestAddAcrossDaylightSaving(t *testing.T) {
	newYork := mustLoad(t, "America/New_York")
	toronto := mustLoad(t, "America/Toronto")
	tests := []struct {
		name    string
		country string
		from    time.Time
		days    int
		want    time.Time
		elapsed time.Duration
	}{
		{
			name: "New York spring forward", country: US,
			from:    time.Date(2025, 3, 7, 9, 30, 0, 0, newYork),
			days:    1,
			want:    time.Date(2025, 3, 10, 9, 30, 0, 0, newYork),
			elapsed: 71 * time.Hour,
		},
		{
			name: "New York fall back late in the evening", country: US,
			from:    time.Date(2025, 10, 31, 23, 30, 0, 0, newYork),
			days:    1,
			want:    time.Date(2025, 11, 3, 23, 30, 0, 0, newYork),
			elapsed: 73 * time.Hour,
		},
		{
			name: "Toronto spring forward at the skipped hour", country: CA,
			from:    time.Date(2025, 3, 7, 2, 30, 0, 0, toronto),
			days:    1,
			want:    time.Date(2025, 3, 10, 2, 30, 0, 0, toronto),
			elapsed: 71 * time.Hour,
		},
		{
			name: "Toronto fall back at the repeated hour", country: CA,
			from:    time.Date(2025, 10, 31, 1, 30, 0, 0, toronto),
			days:    1,
			want:    time.Date(2025, 11, 3, 1, 30, 0, 0, toronto),
			elapsed: 73 * time.Hour,
		},
		{
			name: "Toronto backwards over spring forward", country: CA,
			from:    time.Date(2025, 3, 10, 12, 0, 0, 0, toronto),
			days:    -1,
			want:    time.Date(2025, 3, 7, 12, 0, 0, 0, toronto),
			elapsed: -71 * time.Hour,
		},
		{
			// 23:00 on December 31 in Toronto is already January 1 in UTC:
			// the local date decides.
			name: "Toronto New Year's Eve late", country: CA,
			from:    time.Date(2025, 12, 31, 23, 0, 0, 0, toronto),
			days:    1,
			want:    time.Date(2026, 1, 2, 23, 0, 0, 0, toronto),
			elapsed: 48 * time.Hour,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Add(tt.from, tt.days, tt.country)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%s, %d) = %s, want %s", tt.from, tt.days, got, tt.want)
			}
			if got.Location() != tt.from.Location() {
				t.Errorf("location = %s, want %s", got.Location(), tt.from.Location())
			}
			if elapsed := got.Sub(tt.from); elapsed != tt.elapsed {
				t.Errorf("elapsed = %s, want %s", elapsed, tt.elapsed)
			}
		})
	}
}

func TestIsBusinessDay(t *testing.T) {
	toronto := mustLoad(t, "America/Toronto")
	tests := []struct {
		name    string
		country string
		t       time.Time
		want    bool
	}{
		{"US Thanksgiving", US, at(2025, 11, 27), false},
		{"US New Year observed on Friday", US, at(2021, 12, 31), false},
		{"CA same Friday", CA, at(2021, 12, 31), true},
		{"CA Boxing Day observed Tuesday", CA, at(2022, 12, 27), false},
		{"CA Truth and Reconciliation", CA, at(2025, 9, 30), false},
		{"US Juneteenth", US, at(2025, 6, 19), false},
		{"US Juneteenth before it existed", US, at(2020, 6, 19), true},
		{"ordinary Wednesday", US, at(2025, 6, 18), true},
		{"Sunday", CA, at(2025, 6, 15), false},
		{"local date decides", CA, time.Date(2025, 6, 30, 23, 0, 0, 0, toronto), true},
		{"far future uses the rules directly", US, at(2150, 12, 25), false},
		{"far past uses the rules directly", US, at(1960, 7, 4), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsBusinessDay(tt.t, tt.country); got != tt.want {
				t.Errorf("IsBusinessDay(%s %s, %s) = %t, want %t", tt.t.Weekday(),
					tt.t.Format(time.DateOnly), tt.country, got, tt.want)
			}
		})
	}
}

// TestTableMatchesRules checks the precomputed table against the holiday
// rules evaluated directly, and against the library's own business calendar,
// for every day the table covers.
func TestTableMatchesRules(t *testing.T) {
	reference := cal.NewBusinessCalendar()
	reference.AddHoliday(us.Holidays...)
	usCal, _ := ForCountry(US)
	caCal, _ := ForCountry(CA)

	day := time.Date(firstTableYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(lastTableYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; day.Before(end); day = day.Add(24 * time.Hour) {
		for _, c := range []*Calendar{usCal, caCal} {
			if c.isHoliday(day) != c.isHolidaySlow(day) {
				t.Fatalf("%s: table says holiday=%t, rules say %t",
					day.Format(time.DateOnly), c.isHoliday(day), c.isHolidaySlow(day))
			}
		}
		if got, want := usCal.IsBusinessDay(day), reference.IsWorkday(day); got != want {
			t.Fatalf("%s: US business day = %t, cal says %t",
				day.Format(time.DateOnly), got, want)
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	newYork := mustLoad(b, "America/New_York")
	start := time.Date(2025, 12, 22, 11, 30, 0, 0, newYork)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// Spread the start over a year so holidays and weekends both occur.
		from := start.AddDate(0, 0, i%365)
		_ = Add(from, 3, US)
	}
}
