// Package schedule makes the timing decisions of the PhoneNumber controller:
// when to look up a number's routing next, how long to wait for the shared
// lookup budget, how long to back off after a transient provider error and
// when a late messaging route becomes a delay. Every function takes the
// current time from its caller and holds no clock, so decisions can be
// recomputed from status after a restart and tested without sleeping.
//
// # Probing for early transfers
//
// A losing carrier sometimes releases a number before the port date without
// telling anyone. A routing lookup reveals it, but every lookup costs money,
// so probing is adaptive: rare while the port date is weeks away, dense in
// the last 48 hours. Probes fall on a grid anchored at the port date, so a
// restart or a lookup delayed by the rate limiter does not shift the
// schedule, and numbers of one order probe together. The default Policy
// spends 138 lookups on a six-week port with no early transfer:
//
//	before the port date   interval   lookups
//	42 days (first probe)  -          1
//	7 to 42 days           24 h       34
//	48 h to 7 days         4 h        30
//	last 48 h              40 min     72
//	after the port date    +30 min    1, and 1 more at +4 h if the port slipped
//	total                             138 (139)
//
// A lookup that shows a change is only a signal: a second lookup 45 seconds
// later confirms it before the controller acts. That confirmation is spent
// only when a result changes, so it adds one lookup per change, not one per
// probe, and the 11 lookups left of a budget of 150 absorb wrong lookups.
//
// An early transfer is detected by the first probe after it plus the
// confirmation, so the worst-case delay in a window is its interval plus
// 45 s: 40m45s in the last 48 hours, 4h0m45s from 7 days to 48 hours and
// 24h0m45s before that. For transfers at uniformly random times the p99 is
// 99% of the interval plus 45 s: 40m21s, 3h58m21s and 23h46m21s. A transfer
// in the last 40 minutes waits at most until the port date, when the number
// is activated anyway.
//
// Detecting 99% of transfers in the last 48 hours within 15 minutes is out
// of reach of any schedule within 150 lookups: a lookup at time s detects
// within 15 minutes only the transfers of the 15 minutes before s, so n
// lookups cover at most n*15 minutes of the window, and covering 99% of 48
// hours takes 0.99*48h/15min = 190.08, that is 191 lookups. Detecting 99% of
// the 40 days before within 4 hours takes another 238. With 429 lookups
// needed and 150 allowed, the default keeps the budget, meets the 4-hour
// target in the week before the last 48 hours, gives the last 48 hours the
// densest cadence the budget allows while keeping room for wrong lookups,
// and probes only daily while the port date is more than a week away, when
// an early release is least likely. Policy holds the parameters for a
// different trade-off.
package schedule
