// Package telnyx implements the provider boundary on Telnyx's public REST API
// (v2): porting orders for the porting concern, phone number configuration
// for the numbers concern and number lookup for the routing concern. It
// also verifies Telnyx's signed webhooks so that a push can wake the one
// PortRequest it concerns; polling stays the source of truth.
//
// Telnyx may split one porting order into several (by number type, losing
// carrier or FastPort eligibility). Every order the adapter creates carries
// the request's idempotency key as its customer reference, and the adapter
// follows all orders with that reference as one provider.Order, whose ID is
// the oldest of them.
//
// The adapter keeps no state between calls: everything it needs is read back
// from Telnyx, so it survives restarts and leader changes as the operator
// does. It never logs and never puts in an error the API key, PIN, account
// number or document bytes.
//
// Package telnyxfake holds a local fake of the same API, written from the
// published documentation, against which the adapter is tested.
package telnyx
