package telnyxfake

import (
	"slices"
	"time"
)

// editRequest is the body of PATCH /porting_orders/{id}. Attributes left
// out keep their current values, as the API documents.
type editRequest struct {
	CustomerReference *string `json:"customer_reference"`
	EndUser           *struct {
		Admin *struct {
			EntityName         *string `json:"entity_name"`
			AuthPersonName     *string `json:"auth_person_name"`
			AccountNumber      *string `json:"account_number"`
			PINPasscode        *string `json:"pin_passcode"`
			BillingPhoneNumber *string `json:"billing_phone_number"`
		} `json:"admin"`
		Location *struct {
			StreetAddress      *string `json:"street_address"`
			ExtendedAddress    *string `json:"extended_address"`
			Locality           *string `json:"locality"`
			AdministrativeArea *string `json:"administrative_area"`
			PostalCode         *string `json:"postal_code"`
			CountryCode        *string `json:"country_code"`
		} `json:"location"`
	} `json:"end_user"`
	Documents *struct {
		LOA     *string `json:"loa"`
		Invoice *string `json:"invoice"`
	} `json:"documents"`
	Misc *struct {
		Type                   *string `json:"type"`
		RemainingNumbersAction *string `json:"remaining_numbers_action"`
		NewBillingPhoneNumber  *string `json:"new_billing_phone_number"`
	} `json:"misc"`
	ActivationSettings *struct {
		FOCDatetimeRequested *time.Time `json:"foc_datetime_requested"`
	} `json:"activation_settings"`
	Messaging *struct {
		EnableMessaging bool `json:"enable_messaging"`
	} `json:"messaging"`
	PhoneNumberConfiguration *struct {
		ConnectionID       *string  `json:"connection_id"`
		MessagingProfileID *string  `json:"messaging_profile_id"`
		Tags               []string `json:"tags"`
	} `json:"phone_number_configuration"`
}

// touchesPort reports whether the edit changes what the losing carrier
// reviews.
func (r *editRequest) touchesPort() bool {
	return r.EndUser != nil || r.Documents != nil || r.Misc != nil ||
		r.ActivationSettings != nil
}

// apply writes the edit into o.
func (r *editRequest) apply(o *Order) {
	set(&o.CustomerReference, r.CustomerReference)
	if r.EndUser != nil && r.EndUser.Admin != nil {
		a := r.EndUser.Admin
		set(&o.EndUser.EntityName, a.EntityName)
		set(&o.EndUser.AuthPersonName, a.AuthPersonName)
		set(&o.EndUser.AccountNumber, a.AccountNumber)
		set(&o.EndUser.PIN, a.PINPasscode)
		set(&o.EndUser.BillingPhoneNumber, a.BillingPhoneNumber)
	}
	if r.EndUser != nil && r.EndUser.Location != nil {
		l := r.EndUser.Location
		set(&o.EndUser.Street, l.StreetAddress)
		set(&o.EndUser.Extended, l.ExtendedAddress)
		set(&o.EndUser.Locality, l.Locality)
		set(&o.EndUser.Region, l.AdministrativeArea)
		set(&o.EndUser.PostalCode, l.PostalCode)
		set(&o.EndUser.Country, l.CountryCode)
	}
	if r.Documents != nil {
		set(&o.LOA, r.Documents.LOA)
		set(&o.Invoice, r.Documents.Invoice)
	}
	if r.Misc != nil {
		set(&o.Misc.Type, r.Misc.Type)
		set(&o.Misc.RemainingNumbersAction, r.Misc.RemainingNumbersAction)
		set(&o.Misc.NewBillingPhoneNumber, r.Misc.NewBillingPhoneNumber)
	}
	if r.ActivationSettings != nil && r.ActivationSettings.FOCDatetimeRequested != nil {
		t := r.ActivationSettings.FOCDatetimeRequested.UTC()
		o.FOCRequested = &t
	}
	if r.Messaging != nil {
		o.EnableMessaging = r.Messaging.EnableMessaging
	}
	if c := r.PhoneNumberConfiguration; c != nil {
		set(&o.ConnectionID, c.ConnectionID)
		set(&o.MessagingProfileID, c.MessagingProfileID)
		if c.Tags != nil {
			o.Tags = slices.Clone(c.Tags)
		}
	}
}

func set(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}
