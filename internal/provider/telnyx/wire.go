package telnyx

import "time"

// The types below are the JSON shapes of Telnyx API v2 that the adapter
// sends or reads, as the published reference documents them. Responses are
// decoded only as far as the adapter needs: in particular the end user
// block, which echoes the PIN and account number, is never decoded.

// Porting order statuses (status.value).
const (
	statusDraft            = "draft"
	statusInProcess        = "in-process"
	statusSubmitted        = "submitted"
	statusException        = "exception"
	statusFOCDateConfirmed = "foc-date-confirmed"
	statusPorted           = "ported"
	statusCancelPending    = "cancel-pending"
	statusCancelled        = "cancelled"
)

// Messaging port statuses (messaging.messaging_port_status).
const (
	messagingPortPorted = "ported"
)

type createOrderRequest struct {
	PhoneNumbers      []string `json:"phone_numbers"`
	CustomerReference string   `json:"customer_reference"`
}

type updateOrderRequest struct {
	CustomerReference        string              `json:"customer_reference,omitempty"`
	EndUser                  *endUser            `json:"end_user,omitempty"`
	Documents                *orderDocuments     `json:"documents,omitempty"`
	Misc                     *orderMisc          `json:"misc,omitempty"`
	ActivationSettings       *activationRequest  `json:"activation_settings,omitempty"`
	Messaging                *messagingRequest   `json:"messaging,omitempty"`
	PhoneNumberConfiguration *numberConfigUpdate `json:"phone_number_configuration,omitempty"`
}

type endUser struct {
	Admin    endUserAdmin    `json:"admin"`
	Location endUserLocation `json:"location"`
}

type endUserAdmin struct {
	EntityName         string `json:"entity_name"`
	AuthPersonName     string `json:"auth_person_name"`
	AccountNumber      string `json:"account_number,omitempty"`
	PINPasscode        string `json:"pin_passcode,omitempty"`
	BillingPhoneNumber string `json:"billing_phone_number,omitempty"`
}

type endUserLocation struct {
	StreetAddress      string `json:"street_address"`
	ExtendedAddress    string `json:"extended_address,omitempty"`
	Locality           string `json:"locality"`
	AdministrativeArea string `json:"administrative_area"`
	PostalCode         string `json:"postal_code"`
	CountryCode        string `json:"country_code"`
}

type orderDocuments struct {
	LOA     string `json:"loa,omitempty"`
	Invoice string `json:"invoice,omitempty"`
}

type orderMisc struct {
	Type                   string `json:"type"`
	RemainingNumbersAction string `json:"remaining_numbers_action,omitempty"`
	NewBillingPhoneNumber  string `json:"new_billing_phone_number,omitempty"`
}

type activationRequest struct {
	FOCDatetimeRequested string `json:"foc_datetime_requested,omitempty"`
}

type messagingRequest struct {
	EnableMessaging bool `json:"enable_messaging"`
}

type numberConfigUpdate struct {
	ConnectionID       string   `json:"connection_id,omitempty"`
	MessagingProfileID string   `json:"messaging_profile_id,omitempty"`
	Tags               []string `json:"tags,omitempty"`
}

type portingOrder struct {
	ID                       string             `json:"id"`
	CustomerReference        string             `json:"customer_reference"`
	CreatedAt                time.Time          `json:"created_at"`
	UpdatedAt                time.Time          `json:"updated_at"`
	SupportKey               string             `json:"support_key"`
	Status                   orderStatus        `json:"status"`
	ActivationSettings       activationSettings `json:"activation_settings"`
	Messaging                *orderMessaging    `json:"messaging"`
	PhoneNumberConfiguration numberConfig       `json:"phone_number_configuration"`
	PhoneNumbers             []portingNumber    `json:"phone_numbers"`
	PortingPhoneNumbersCount int                `json:"porting_phone_numbers_count"`
}

type orderStatus struct {
	Value   string         `json:"value"`
	Details []statusDetail `json:"details"`
}

type statusDetail struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

type activationSettings struct {
	FOCDatetimeRequested *time.Time `json:"foc_datetime_requested"`
	FOCDatetimeActual    *time.Time `json:"foc_datetime_actual"`
	ActivationStatus     *string    `json:"activation_status"`
}

type orderMessaging struct {
	EnableMessaging     *bool  `json:"enable_messaging"`
	MessagingCapable    *bool  `json:"messaging_capable"`
	MessagingPortStatus string `json:"messaging_port_status"`
}

type numberConfig struct {
	ConnectionID       *string  `json:"connection_id"`
	MessagingProfileID *string  `json:"messaging_profile_id"`
	Tags               []string `json:"tags"`
}

type portingNumber struct {
	PhoneNumber        string  `json:"phone_number"`
	PortingOrderID     string  `json:"porting_order_id"`
	PortingOrderStatus string  `json:"porting_order_status"`
	ActivationStatus   *string `json:"activation_status"`
	PortabilityStatus  string  `json:"portability_status"`
}

type pageMeta struct {
	PageNumber   int `json:"page_number"`
	PageSize     int `json:"page_size"`
	TotalPages   int `json:"total_pages"`
	TotalResults int `json:"total_results"`
}

type orderEnvelope struct {
	Data portingOrder `json:"data"`
}

type orderList struct {
	Data []portingOrder `json:"data"`
	Meta pageMeta       `json:"meta"`
}

type portingNumberList struct {
	Data []portingNumber `json:"data"`
	Meta pageMeta        `json:"meta"`
}

type portabilityRequest struct {
	PhoneNumbers []string `json:"phone_numbers"`
}

type portabilityResult struct {
	PhoneNumber       string `json:"phone_number"`
	Portable          bool   `json:"portable"`
	NotPortableReason string `json:"not_portable_reason"`
}

type portabilityList struct {
	Data []portabilityResult `json:"data"`
}

type documentUpload struct {
	File              string `json:"file"`
	Filename          string `json:"filename"`
	CustomerReference string `json:"customer_reference,omitempty"`
}

type documentEnvelope struct {
	Data struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"data"`
}

type additionalDocuments struct {
	AdditionalDocuments []additionalDocument `json:"additional_documents"`
}

type additionalDocument struct {
	DocumentID   string `json:"document_id"`
	DocumentType string `json:"document_type"`
}

type phoneNumber struct {
	ID                string   `json:"id"`
	PhoneNumber       string   `json:"phone_number"`
	Status            string   `json:"status"`
	ConnectionID      *string  `json:"connection_id"`
	Tags              []string `json:"tags"`
	CustomerReference *string  `json:"customer_reference"`
}

type phoneNumberList struct {
	Data []phoneNumber `json:"data"`
	Meta pageMeta      `json:"meta"`
}

type phoneNumberUpdate struct {
	ConnectionID *string  `json:"connection_id,omitempty"`
	Tags         []string `json:"tags"`
}

type lookupEnvelope struct {
	Data struct {
		PhoneNumber string `json:"phone_number"`
		ValidNumber *bool  `json:"valid_number"`
		Carrier     *struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"carrier"`
		Portability *struct {
			LRN             string `json:"lrn"`
			SPID            string `json:"spid"`
			SPIDCarrierName string `json:"spid_carrier_name"`
			PortedStatus    string `json:"ported_status"`
			PortedDate      string `json:"ported_date"`
			LineType        string `json:"line_type"`
			OCN             string `json:"ocn"`
		} `json:"portability"`
	} `json:"data"`
}
