// Package businessday counts business days the way US and Canadian carriers
// do: Monday to Friday, minus the country's federal holidays on the days
// they are observed. Porting and messaging timelines are quoted in such days
// ("three business days after activation"), so the operator needs the same
// arithmetic to know when a wait has become a delay.
//
// A date is always read in the location of the time it comes from: pass
// times in the losing carrier's or the subscriber's zone to count their days.
package businessday

import (
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/us"
)

// Countries the package has holiday calendars for, as ISO 3166 codes.
const (
	US = "US"
	CA = "CA"
)

// The holiday table is computed once for these years; dates outside them
// are still answered correctly, only more slowly.
const (
	firstTableYear = 1990
	lastTableYear  = 2100
)

// Calendar says which days are business days. It is immutable once built
// and safe for concurrent use; build it once and reuse it, since building
// evaluates every holiday rule for a century of years.
type Calendar struct {
	holidays []*cal.Holiday
	// table holds the holidays of firstTableYear+i at index i.
	table []daySet
}

// daySet is a set of days of one year, indexed by time.Time.YearDay.
type daySet [6]uint64

func (s *daySet) add(yearDay int) { s[yearDay/64] |= 1 << (yearDay % 64) }

func (s *daySet) has(yearDay int) bool { return s[yearDay/64]&(1<<(yearDay%64)) != 0 }

// NewCalendar returns a calendar whose non-business days are Saturdays,
// Sundays and the given holidays, both on their actual dates and on the
// weekdays they are observed on when they fall on a weekend.
func NewCalendar(holidays ...*cal.Holiday) *Calendar {
	c := &Calendar{
		holidays: holidays,
		table:    make([]daySet, lastTableYear-firstTableYear+1),
	}
	// A holiday of one year can be observed in the next or the previous
	// one (New Year's Day on a Saturday is observed on December 31 in the
	// US), so the rules of the neighbouring years are evaluated too.
	for year := firstTableYear - 1; year <= lastTableYear+1; year++ {
		for _, h := range holidays {
			actual, observed := h.Calc(year)
			c.mark(actual)
			c.mark(observed)
		}
	}
	return c
}

func (c *Calendar) mark(date time.Time) {
	if date.IsZero() {
		return
	}
	i := date.Year() - firstTableYear
	if i >= 0 && i < len(c.table) {
		c.table[i].add(date.YearDay())
	}
}

var (
	usCalendar = sync.OnceValue(func() *Calendar { return NewCalendar(us.Holidays...) })
	caCalendar = sync.OnceValue(func() *Calendar { return NewCalendar(caFederalHolidays...) })
	weekends   = sync.OnceValue(func() *Calendar { return NewCalendar() })
)

// caFederalHolidays are the general holidays of the Canada Labour Code,
// which governs carriers as federally regulated employers. Easter Monday and
// the Civic Holiday, which the ca package also lists, are provincial or
// public-service holidays, so carriers' porting desks work on them.
var caFederalHolidays = []*cal.Holiday{
	ca.NewYear,
	ca.GoodFriday,
	ca.VictoriaDay,
	ca.CanadaDay,
	ca.LabourDay,
	ca.NationalDayForTruthAndReconciliation,
	ca.ThanksgivingDay,
	ca.RemembranceDay,
	ca.ChristmasDay,
	ca.BoxingDay,
}

// ForCountry returns the shared calendar of a country, "US" or "CA" in any
// case. For any other country it returns a calendar of weekends only and
// false, so that a caller that cannot refuse still counts plausible days.
func ForCountry(country string) (*Calendar, bool) {
	switch {
	case strings.EqualFold(country, US):
		return usCalendar(), true
	case strings.EqualFold(country, CA):
		return caCalendar(), true
	default:
		return weekends(), false
	}
}

// Add returns the time days business days after t in the country's
// calendar; see Calendar.Add. An unknown country counts weekends only.
func Add(t time.Time, days int, country string) time.Time {
	c, _ := ForCountry(country)
	return c.Add(t, days)
}

// IsBusinessDay reports whether t falls on a business day in the country's
// calendar. An unknown country counts weekends only.
func IsBusinessDay(t time.Time, country string) bool {
	c, _ := ForCountry(country)
	return c.IsBusinessDay(t)
}

// IsBusinessDay reports whether the date of t, read in t's location, is a
// business day.
func (c *Calendar) IsBusinessDay(t time.Time) bool {
	y, m, d := t.Date()
	return c.isBusinessDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// Add moves t by days business days, forwards when days is positive and
// backwards when negative, and keeps t's time of day and location.
//
// Days are counted from the day after t (or before it, going backwards), so
// t's own date never counts: one business day after a Saturday is the
// following Monday, exactly as one business day after the Friday before.
// Add(t, 0) returns t unchanged even when t is not a business day.
//
// The result keeps the wall-clock time, not the elapsed duration: across a
// daylight saving change it is an hour more or less than a multiple of 24
// hours away. In the US and Canada clocks change on Sundays, so the time of
// day always exists on the resulting business day.
func (c *Calendar) Add(t time.Time, days int) time.Time {
	if days == 0 {
		return t
	}
	step := 24 * time.Hour
	if days < 0 {
		step, days = -step, -days
	}

	// Walking a UTC midnight keeps every step exactly one calendar day long,
	// whatever t's location does with its clocks.
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for days > 0 {
		day = day.Add(step)
		if c.isBusinessDate(day) {
			days--
		}
	}

	hour, minute, second := t.Clock()
	y, m, d = day.Date()
	return time.Date(y, m, d, hour, minute, second, t.Nanosecond(), t.Location())
}

// isBusinessDate judges a date given as a UTC midnight.
func (c *Calendar) isBusinessDate(day time.Time) bool {
	switch day.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !c.isHoliday(day)
}

func (c *Calendar) isHoliday(day time.Time) bool {
	year, yearDay := day.Year(), day.YearDay()
	if i := year - firstTableYear; i >= 0 && i < len(c.table) {
		return c.table[i].has(yearDay)
	}
	return c.isHolidaySlow(day)
}

// isHolidaySlow evaluates the holiday rules for a date outside the table.
func (c *Calendar) isHolidaySlow(day time.Time) bool {
	y, m, d := day.Date()
	same := func(t time.Time) bool {
		ty, tm, td := t.Date()
		return !t.IsZero() && ty == y && tm == m && td == d
	}
	for year := y - 1; year <= y+1; year++ {
		for _, h := range c.holidays {
			actual, observed := h.Calc(year)
			if same(actual) || same(observed) {
				return true
			}
		}
	}
	return false
}
