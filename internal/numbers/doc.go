// Package numbers reads telephone numbers the way people write them and
// turns them into E.164, the form the API, the provider and the platform use.
//
// It reads the North American Numbering Plan (NANP) forms itself, which keeps
// a 10,000-number list to milliseconds, and leaves everything that needs a
// numbering plan (is this area code assigned, is it in the US or in Canada,
// how long are numbers elsewhere) to github.com/nyaruka/phonenumbers, so that
// no table is kept by hand.
//
// Errors returned here never hold a full number: they are read in logs and
// events, where numbers appear masked to their last four digits.
package numbers
