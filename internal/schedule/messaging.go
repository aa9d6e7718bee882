package schedule

import (
	"time"

	"github.com/numberport/numberport/internal/businessday"
)

// MessagingBusinessDays is how long the losing carrier may take to release
// a number's messaging route after the voice port before it counts as late:
// providers quote up to two to three business days.
const MessagingBusinessDays = 3

// MessagingDeadline returns when a number activated at activatedAt should
// have its messaging route, MessagingBusinessDays business days later in the
// country's calendar ("US" or "CA"), at the same time of day. Days are read
// in activatedAt's location, and an activation on a weekend or holiday
// starts counting on the next business day; see businessday.Calendar.Add.
func MessagingDeadline(activatedAt time.Time, country string) time.Time {
	return businessday.Add(activatedAt, MessagingBusinessDays, country)
}
