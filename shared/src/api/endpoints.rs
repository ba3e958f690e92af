//! Every endpoint of `/api/v1`, declared once: method, path, query, body and answer types,
//! summary, who may call it, and the statuses it answers with (see `super::endpoint`). The
//! server routes and documents exactly these; the app calls exactly these.

use super::accounts::*;
use super::endpoint::{
    endpoints, FileBody, FileDownload, NoBody, NoContent, NoQuery, QueryParams, Text, CHANGE,
    CREATE, CREATE_ON, READ, STEP,
};
use super::intake::*;
use super::records::*;
use super::releases::*;
use super::resolution::*;
use super::{ClientProfile, ClientSummary, LoginRequest, SessionInfo, SessionTimeLeft};
use serde::{Deserialize, Serialize};

/// The OpenAPI document itself (JSON, described by OpenAPI 3.1, not by a wire type of ours).
#[derive(Debug, Clone, Copy)]
pub struct OpenApi;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for OpenApi {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OpenApi".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "properties": { "openapi": { "type": "string", "pattern": "^3\\.1\\." } },
        })
    }
}

const READERS: &str = "any signed-in user who may read the client (404 otherwise); each record \
    passes the shared read decision (`can_read`), the rest are only counted (S-9)";

// --- The server itself ---

endpoints! {
    Health: Get "/health" {
        summary: "Liveness: answers `ok` (text) when the server is up",
        who: "anyone",
        statuses: &[200],
        public: true,
        query: NoQuery,
        body: NoBody,
        response: Text,
    }
    OpenApiDocument: Get "/openapi.json" {
        summary: "This document",
        who: "anyone",
        statuses: &[200],
        public: true,
        query: NoQuery,
        body: NoBody,
        response: OpenApi,
    }
}

// --- Session ---

endpoints! {
    GetSession: Get "/session" {
        summary: "Who is signed in (with their notification email address), today's date and \
            the policy in force (P-2)",
        who: "any signed-in user",
        statuses: &[200, 401],
        query: NoQuery,
        body: NoBody,
        response: SessionInfo,
    }
    SignIn: Post "/session" {
        summary: "Sign in: sets the HttpOnly, SameSite=Strict session cookie",
        who: "anyone (lockout with back-off after repeated failures)",
        statuses: &[200, 401, 403, 422],
        public: true,
        query: NoQuery,
        body: LoginRequest,
        response: SessionInfo,
    }
    GetSessionTimeLeft: Get "/session/time-left" {
        summary: "How long the caller's session has left before its idle and absolute timeouts \
            (P-5); asking does not move the idle timer, so a page may ask on a timer without \
            keeping an unattended session alive",
        who: "any signed-in user",
        statuses: &[200, 401],
        query: NoQuery,
        body: NoBody,
        response: SessionTimeLeft,
    }
    SignOut: Delete "/session" {
        summary: "Sign out: ends the session",
        who: "any signed-in user",
        statuses: &[204, 401, 403],
        query: NoQuery,
        body: NoBody,
        response: NoContent,
    }
}

// --- Clients: search and profile ---

endpoints! {
    SearchClients: Get "/clients" {
        summary: "Search clients by name words (prefixes, any order), ranked by a typo-tolerant \
            similarity with the date of birth and SSN last four when given, or by exact HMIS \
            number (`q`); at most 20, best first, a linked pair once",
        who: "any signed-in user (tier-1 fields only, S-1)",
        statuses: &[200, 401, 422],
        query: SearchQuery,
        body: NoBody,
        response: Vec<ClientSummary>,
    }
    GetClientProfile: Get "/clients/{id}" {
        summary: "A client's profile: the intake and every record the caller may read, with reasons",
        who: "any signed-in user; records redacted by the shared rules (S-1..S-9)",
        statuses: &[200, 401, 404],
        query: NoQuery,
        body: NoBody,
        response: ClientProfile,
    }
}

// --- Clients: two records of one person, linked (issue 15; never merged) ---

endpoints! {
    ListClientLinks: Get "/clients/{id}/links" {
        summary: "The links of a client's record to another record of the same person: the live \
            one first, then the ended ones, each with the other record's tier-1 summary",
        who: "any signed-in user who may read the client (404 otherwise); a linked record the \
            caller may not read is left out (S-9)",
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: super::links::ClientLinks,
    }
    LinkClients: Post "/clients/{id}/links" {
        summary: "Mark this record and `other` as the same person: both are kept as they are, the \
            profile of each shows the other and search returns the pair once; the agencies that \
            entered either are notified (HMIS numbers only, R-13). 409 when either is already \
            linked (also when another user linked one of them meanwhile)",
        who: "any signed-in user (`shared::links::can_link`); `other` must be a client the caller \
            may read (422 naming `other` otherwise)",
        statuses: CREATE_ON,
        query: NoQuery,
        body: super::links::NewLinkRequest,
        response: super::links::ClientLinkView,
    }
    UnlinkClients: Post "/client-links/{id}/unlink" {
        summary: "Undo a link: the link is ended (kept in the history), both records are kept as \
            they were; the agencies that entered either are notified. 409 when it has ended already",
        who: "a SystemAdmin or an AgencyAdmin of the agency that linked the records \
            (`shared::links::can_unlink`)",
        statuses: &[200, 401, 403, 404, 409],
        query: NoQuery,
        body: NoBody,
        response: super::links::ClientLinkView,
    }
}

// --- Intake: new clients ---

endpoints! {
    CreateClient: Post "/clients" {
        summary: "Client intake (S-1): names, date of birth and SSN with HUD data quality; assigns the \
        next HMIS number. Possible duplicates (same names and date of birth) answer 409 with the \
        error body plus `possible_duplicates` (HMIS numbers) unless `confirm_new` is true",
        who: "any signed-in user, for their own agency (`can_create`, kind Intake)",
        statuses: &[201, 401, 403, 409, 422],
        query: NoQuery,
        body: NewClientRequest,
        response: NewClientResponse,
    }
}

// --- Intake changes (R-1, R-3) ---

endpoints! {
    ChangeIntake: Patch "/clients/{id}/intake" {
        summary: "Change one intake field under R-1: another agency's single-answer value (legal \
        names, date of birth, SSN) needs written documentation (a scan of a Social Security card \
        is refused); `value` null or empty clears an optional field; the old value is kept in \
        history (P-3); the agreed data conflicts (R-3) this update carries out are resolved",
        who: "any signed-in user who may read the client (404 otherwise), as \
        `check_single_answer_change` decides (403 with its reason); contact fields never (R-4: \
        add a contact row)",
        statuses: &[200, 401, 403, 404, 422],
        query: NoQuery,
        body: IntakeChangeRequest,
        response: IntakeChangeResponse,
    }
}

// --- Client records (SPEC section 2) ---

endpoints! {
    ListEnrollments: Get "/clients/{id}/enrollments" {
        summary: "A client's enrollments the caller may read, each with its reason, and how many \
            are withheld (S-9)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    CreateEnrollment: Post "/clients/{id}/enrollments" {
        summary: "Enroll the client in a program; the enrollment is owned by the program's \
            agency, and exit and move-in dates are checked against the entry (R-6)",
        who: "a user of the agency running the program (`can_create`: nobody enrolls for another \
            agency, SystemAdmins included)",
        statuses: CREATE,
        query: NoQuery,
        body: NewEnrollment,
        response: RecordItem,
    }
    ListServices: Get "/clients/{id}/services" {
        summary: "A client's needs, services and referrals the caller may read; a \
            case-management note its own setting withholds is left out with `note_hidden` (S-5)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    CreateService: Post "/clients/{id}/services" {
        summary: "Record a need, service transaction or referral, with an optional \
            case-management note and minutes (R-11); never deleted afterwards",
        who: "any agency, for itself (`can_create`); a note setting below the case-note default \
            needs an AgencyAdmin (S-5); `enrollment_id` must be a readable enrollment of this \
            client (404)",
        statuses: CREATE_ON,
        query: NoQuery,
        body: NewService,
        response: RecordItem,
    }
    ListContacts: Get "/clients/{id}/contacts" {
        summary: "A client's effective-dated contact rows (address, phone, email, emergency \
            contact), current and ended (R-4)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    CreateContact: Post "/clients/{id}/contacts" {
        summary: "A contact change at the client's direction: adds a row, end-dates the rows it \
            replaces and adds the correction note unless declined; never an overwrite (R-4, R-5). \
            409 (nothing written) when a replaced row changed since the caller loaded the rows: \
            a simultaneous change end-dated it, or it has already ended; reload and choose again",
        who: "any agency (`can_create`), with the client's direction attested \
            (`plan_contact_change`); each replaced row must be end-datable (`can_end_date`) and \
            a readable contact row of this client (404)",
        statuses: CREATE_ON,
        query: NoQuery,
        body: NewContact,
        response: ContactChangeResult,
    }
    ListCaseManagers: Get "/clients/{id}/case-managers" {
        summary: "A client's case-manager assignments the caller may read (R-10)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    CreateCaseManager: Post "/clients/{id}/case-managers" {
        summary: "Assign a case manager to the client as head of household, in a program (R-10)",
        who: "a user of the agency running the program (`can_create`); the case manager must be \
            one of that agency's users (422)",
        statuses: CREATE,
        query: NoQuery,
        body: NewCaseManager,
        response: RecordItem,
    }
    ListNotes: Get "/clients/{id}/notes" {
        summary: "A client's profile notes the caller may read (R-12)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    CreateNote: Post "/clients/{id}/notes" {
        summary: "Add a profile note; only its author may later edit or delete it (R-12)",
        who: "any signed-in user who may read the client, for their own agency (`can_create`)",
        statuses: CREATE,
        query: NoQuery,
        body: NoteInput,
        response: RecordItem,
    }
    ListForms: Get "/clients/{id}/forms" {
        summary: "A client's forms the caller may read under their security settings (S-3..S-5)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    CreateForm: Post "/clients/{id}/forms" {
        summary: "Add a form with its answers; the setting defaults to the form type's (S-5)",
        who: "any agency, for itself (`can_create`); a setting below the form type's default \
            needs an AgencyAdmin, and `SharedWithAll` is for attachments only (S-5)",
        statuses: CREATE,
        query: NoQuery,
        body: NewForm,
        response: RecordItem,
    }
    ListAttachments: Get "/clients/{id}/attachments" {
        summary: "A client's attachments (metadata) the caller may read; the bytes are at \
            `GET /records/{id}/file` (R-9)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    UploadAttachment: Post "/clients/{id}/attachments" {
        summary: "Upload an attachment (R-9): the body is the raw file, a PDF, JPEG or PNG by \
            content, with its `Content-Type` (application/pdf, image/jpeg or image/png; at most \
            the upload limit, 10 MiB by default); query `document_type` (a DocumentType, e.g. \
            `BirthCertificate`) and `file_name`, optional `security` (a SecuritySetting; default: \
            the document type's) and `service_id` (attach to one of the client's services, R-11)",
        who: "`can_upload`: any agency for itself; never a Social Security card; on a service, \
            only its owning agency; a setting below the document type's default needs an \
            AgencyAdmin (S-5)",
        statuses: &[201, 401, 403, 404, 413, 422],
        query: AttachmentQuery,
        body: FileBody,
        response: RecordItem,
    }
    ListDemographics: Get "/clients/{id}/demographics" {
        summary: "A client's demographics set (tier 1, S-1), and any earlier sets a SystemAdmin \
            sees as tombstones",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    PutDemographics: Put "/clients/{id}/demographics" {
        summary: "Set the client's demographics, the whole set: 201 for the first, 200 when it \
            replaces the current one (kept in history, P-3); 409 (nothing written) when a \
            simultaneous PUT changed or created the set first",
        who: "any agency (S-1: `can_create` for the first set, `can_edit` after)",
        statuses: &[200, 201, 401, 403, 404, 409, 422],
        query: NoQuery,
        body: DemographicsInput,
        response: RecordItem,
    }
    ListPhotos: Get "/clients/{id}/photos" {
        summary: "A client's photo records (metadata); the current photo's bytes are at \
            `GET /clients/{id}/photo`",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordList,
    }
    PutPhoto: Put "/clients/{id}/photo" {
        summary: "Set the client's photo: the body is the raw JPEG or PNG (by content) with its \
            `Content-Type` (image/jpeg or image/png), no query parameters; 201 for the first, 200 \
            when it replaces the current one (the old file is kept in history, P-3); 409 \
            (nothing written) when a simultaneous PUT came first",
        who: "any agency (S-1: `can_create` for the first photo, `can_edit` after)",
        statuses: &[200, 201, 401, 403, 404, 409, 413, 422],
        query: NoQuery,
        body: FileBody,
        response: RecordItem,
    }
    GetPhoto: Get "/clients/{id}/photo" {
        summary: "The client's current photo: the image bytes (image/jpeg or image/png), as an \
            attachment download; 404 when there is none",
        who: "any signed-in user who may read the client and the photo (`can_read`)",
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: FileDownload,
    }
    GetChecklist: Get "/clients/{id}/checklist" {
        summary: "Head-of-household checklist (R-9: birth certificate, homelessness and disability \
            verification on file?) and the household's open enrollments without a case manager \
            (R-10), from the records the caller may read",
        who: "any signed-in user who may read the client (each record through `can_read`)",
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: Checklist,
    }
    GetRecord: Get "/records/{id}" {
        summary: "One record of any kind, with its details and the read decision's reason",
        who: "`can_read` (404 when missing or not readable, S-9; tombstones: SystemAdmins only, \
            P-3)",
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: RecordItem,
    }
    UpdateRecord: Patch "/records/{id}" {
        summary: "Change a record; the old value is kept in history (P-3). The body is the \
            kind's: `NoteInput` (notes), `EnrollmentPatch`, `ServicePatch`, `CaseManagerPatch`, \
            `FormPatch`, `AttachmentPatch` or `DemographicsInput` (the whole set); contact rows \
            are never changed (R-4: end-date them), photos are replaced with \
            `PUT /clients/{id}/photo`. The patch applies to the record as the request read it: \
            409 (nothing written) when a simultaneous change came first",
        who: "`can_edit`: notes by their author (R-12), attachments by their uploader (R-9), \
            enrollments, services, case managers and forms by the owning agency (R-6, R-10, \
            R-11), demographics by anyone (S-1)",
        statuses: CHANGE,
        query: NoQuery,
        body: RecordPatch,
        response: RecordItem,
    }
    DeleteRecord: Delete "/records/{id}" {
        summary: "Delete a record: a tombstone, kept for SystemAdmins (P-3); services are never \
            deleted (R-11), contact rows are end-dated instead (R-4)",
        who: "`can_delete`: notes by their author, attachments by their uploader, enrollments, \
            case managers and forms by the owning agency; never services, contact rows, \
            demographics or photos",
        statuses: &[204, 401, 403, 404, 409],
        query: NoQuery,
        body: NoBody,
        response: NoContent,
    }
    EndRecord: Post "/records/{id}/end" {
        summary: "End-date a contact row (R-4, R-5), a case-manager assignment (R-10) or an \
            enrollment (its exit date, R-6); `end_date` is the last day",
        who: "`can_end_date`: a contact row by anyone at the client's direction \
            (`client_directed`) or by an AgencyAdmin of the agency that entered it; \
            case managers and enrollments by the owning agency",
        statuses: CHANGE,
        query: NoQuery,
        body: EndDateInput,
        response: RecordItem,
    }
    SetRecordSecurity: Put "/records/{id}/security" {
        summary: "Change the security setting of a form or attachment, or of a service's \
            case-management note (S-5)",
        who: "`can_set_security`: forms and service notes by the owning agency, attachments by \
            their uploader; below the default needs an AgencyAdmin of the owning agency; \
            `SharedWithAll` is for attachments only",
        statuses: CHANGE,
        query: NoQuery,
        body: SecurityInput,
        response: RecordItem,
    }
    GetRecordFile: Get "/records/{id}/file" {
        summary: "An attachment's or photo's bytes, with its content type, as an attachment \
            download (`Content-Disposition: attachment`)",
        who: "`can_read` of the record (404 otherwise, and for records without a file)",
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: FileDownload,
    }
}

// --- Data-resolution conflicts (R-2, R-3) ---

endpoints! {
    OpenConflict: Post "/clients/{id}/conflicts" {
        summary: "Record a data conflict (R-2): the client stated a single-answer value that \
            differs from the stored one; the stored value is kept, the conflict is addressed to \
            the agency and user that entered it (notified), and answers 201 with the conflict",
        who: "any signed-in user who may read the client (404 otherwise), never on a value their \
            own agency entered (`new_field_conflict`: 422 `field`)",
        statuses: &[201, 401, 403, 404, 422],
        query: NoQuery,
        body: NewConflictRequest,
        response: ConflictView,
    }
    ListConflicts: Get "/conflicts" {
        summary: "The data and entry/exit conflicts the caller's agency raised or is addressed \
            (R-2, R-7), newest first; optional `state` (open, agreed, escalated, data_center, \
            resolved), `kind` (field, entry_exit), `client` (a client id) and `queue` (`mine`: \
            the caller's resolution queue, R-3, R-8)",
        who: "any signed-in user, for their agency's conflicts; SystemAdmins see all",
        statuses: &[200, 401, 422],
        query: ConflictListQuery,
        body: NoBody,
        response: Vec<ConflictView>,
    }
    GetConflict: Get "/conflicts/{id}" {
        summary: "One conflict with its contact attempts, and whether the caller may escalate it \
            today or what is still missing (`escalation`, R-3, R-8)",
        who: "users of the two parties and SystemAdmins (`may_see`); anyone else gets 404",
        statuses: &[200, 401, 404],
        query: NoQuery,
        body: NoBody,
        response: ConflictView,
    }
    LogConflictAttempt: Post "/conflicts/{id}/attempts" {
        summary: "Log a contact attempt (R-3): when (between the day the conflict was opened and \
            today), how, and the outcome; unanswered ones count toward escalation. Answers 201",
        who: "users of the reporting agency while the conflict is open (`can_step`)",
        statuses: &[201, 401, 403, 404, 422],
        query: NoQuery,
        body: NewAttemptRequest,
        response: ConflictView,
    }
    AgreeConflict: Post "/conflicts/{id}/agree" {
        summary: "The parties agree which value is right and which of them updates it (R-3): \
            agreeing on the stored value resolves the conflict at once, on the stated value it \
            is resolved by the updater's `PATCH /clients/{id}/intake`",
        who: "users of either party while the conflict is open or escalated (`can_step`); an \
            entry/exit conflict only on `stored`",
        statuses: STEP,
        query: NoQuery,
        body: AgreeRequest,
        response: ConflictView,
    }
    EscalateConflict: Post "/conflicts/{id}/escalate" {
        summary: "Escalate (R-3, R-8): once 3 unanswered attempts span 14 days, adds a \
            ProfileNote and tells the addressed agency's AgencyAdmins; an escalated entry/exit \
            conflict goes on to the data center 30 days later (R-8). Refused with 403 and what \
            is still missing before that",
        who: "users of the reporting agency (`can_step`)",
        statuses: STEP,
        query: NoQuery,
        body: NoBody,
        response: ConflictView,
    }
    ResolveConflict: Post "/conflicts/{id}/resolve" {
        summary: "Mark a conflict resolved: the data was corrected or confirmed (R-3, R-8)",
        who: "users of either party; SystemAdmins once the data center has it (`can_step`)",
        statuses: STEP,
        query: NoQuery,
        body: NoBody,
        response: ConflictView,
    }
}

// --- Entry/exit conflicts (R-6..R-8) ---

endpoints! {
    ListEntryExitConflicts: Get "/entry-exit-conflicts" {
        summary: "The current entry/exit conflicts detected among clients' enrollments (R-7) \
            that involve an enrollment of the caller's agency, with the conflict opened about \
            each, if any; `client` (a client id): every current one of that client",
        who: "any signed-in user (enrollments are tier 2, S-2); SystemAdmins see all",
        statuses: &[200, 401, 422],
        query: EntryExitListQuery,
        body: NoBody,
        response: Vec<EntryExitView>,
    }
    OpenEntryExitConflict: Post "/entry-exit-conflicts/{id}/open" {
        summary: "Open a conflict about one of the detection's enrollments believed to be \
            incorrect (R-7), addressed to its owning agency, whose AgencyAdmins are told; its \
            later steps are under `/conflicts/{id}` (R-8). Answers 201",
        who: "users of an agency other than the enrollment's owner (`new_entry_exit_conflict`: \
            the owner corrects it directly, 422 `enrollment`), once per agency and enrollment",
        statuses: &[201, 401, 403, 404, 422],
        query: NoQuery,
        body: OpenEntryExitRequest,
        response: ConflictView,
    }
}

// --- Notifications ---

endpoints! {
    ListNotifications: Get "/notifications" {
        summary: "The caller's in-app notifications, newest first (at most 200), and how many \
            are unread; each names the client by HMIS number only (R-13)",
        who: "any signed-in user, for their own inbox",
        statuses: &[200, 401],
        query: NoQuery,
        body: NoBody,
        response: NotificationList,
    }
    MarkNotificationRead: Post "/notifications/{id}/read" {
        summary: "Mark one of the caller's notifications read (R-13); answers 204",
        who: "the notification's recipient; another user's notification is 404",
        statuses: &[204, 401, 403, 404],
        query: NoQuery,
        body: NoBody,
        response: NoContent,
    }
}

// --- Releases: ROIs and MOUs (S-3, S-4, S-6) ---

endpoints! {
    ListRois: Get "/clients/{id}/rois" {
        summary: "A client's ROIs that name the caller's agency (S-3), each with whether it is in \
            force today and has its scan",
        who: "users of a named agency; SystemAdmins see all (`releases_for`); a client the caller \
            may not read is 404",
        statuses: &[200, 401, 404],
        query: NoQuery,
        body: NoBody,
        response: Vec<RoiView>,
    }
    CreateRoi: Post "/clients/{id}/rois" {
        summary: "Set an ROI (S-3) naming the caller's agency and at least one other, attesting \
            that the client's signed release is on file; `start` defaults to today, `end` to \
            start + the policy's ROI length",
        who: "any user whose agency the ROI names, with another (`can_set_roi`, `new_roi`)",
        statuses: &[201, 401, 403, 404, 422],
        query: NoQuery,
        body: NewRoiRequest,
        response: RoiView,
    }
    ListEndingRois: Get "/rois" {
        summary: "The releases of information in force that name the caller's agency and end \
            within `ending_within_days` days (default: the policy's `roi_reminder_days`, 30), \
            soonest first, each with its client's HMIS number and name (S-3, P-2)",
        who: "any signed-in user, for their own agency's releases (`can_see_roi`, \
            `roi_ending_soon`); audited as a read of each client listed",
        statuses: &[200, 401, 422],
        query: RoiListQuery,
        body: NoBody,
        response: EndingRois,
    }
    ListAgencyRois: Get "/agency-rois" {
        summary: "The releases of information naming the caller's agency (every agency's for \
            SystemAdmins), whatever their status (active, ending soon within the policy's \
            `roi_reminder_days`, expired, revoked, not started), soonest end first, each with its \
            client's HMIS number and name (S-3, P-2); optional `status` filter",
        who: "any signed-in user, for their own agency's releases (`can_list_agency_rois`, \
            `roi_in_agency_list`); audited as a read of each client listed",
        statuses: &[200, 401, 422],
        query: AgencyRoiQuery,
        body: NoBody,
        response: AgencyRois,
    }
    RevokeRoi: Post "/rois/{id}/revoke" {
        summary: "Revoke an ROI from today on (S-3); an ended one cannot be revoked again",
        who: "users of an agency named on the ROI, SystemAdmins only when theirs is named \
            (`can_revoke_roi`); an ROI the caller may not see is 404 (`can_see_roi`)",
        statuses: &[200, 401, 403, 404, 409],
        query: NoQuery,
        body: NoBody,
        response: RoiView,
    }
    UploadRoiDocument: Post "/rois/{id}/document" {
        summary: "Attach the scan of the client's signed release (S-3), once: the body is the raw \
            PDF, JPEG or PNG with its Content-Type (checked against the content), at most 10 MiB",
        who: "users of the attesting agency while the ROI runs (`can_attach_roi_document`); an \
            ROI the caller may not see is 404 (`can_see_roi`)",
        statuses: &[201, 401, 403, 404, 409, 413, 422],
        query: NoQuery,
        body: FileBody,
        response: DocumentInfo,
    }
    GetRoiDocument: Get "/rois/{id}/document" {
        summary: "Download the ROI's scan (S-3): the raw file with its Content-Type, as an \
            attachment (`nosniff`, `no-store`)",
        who: "users of an agency named on the ROI and SystemAdmins (`can_see_roi`); anyone else \
            gets 404",
        statuses: &[200, 401, 404],
        query: NoQuery,
        body: NoBody,
        response: FileDownload,
    }
    ListMous: Get "/mous" {
        summary: "Every MOU (S-4, S-6): parties and signers, dates, whether the document is \
            attached, and its status today",
        who: "any signed-in user",
        statuses: &[200, 401],
        query: NoQuery,
        body: NoBody,
        response: Vec<MouView>,
    }
    CreateMou: Post "/mous" {
        summary: "Create an MOU (S-6) naming two or more organizations, unsigned and without its \
            document (status `incomplete`)",
        who: "SystemAdmins (`can_create_mou`)",
        statuses: &[201, 401, 403, 422],
        query: NoQuery,
        body: NewMouRequest,
        response: MouView,
    }
    GetMou: Get "/mous/{id}" {
        summary: "One MOU and its status today (S-6)",
        who: "any signed-in user",
        statuses: &[200, 401, 404],
        query: NoQuery,
        body: NoBody,
        response: MouView,
    }
    SignMou: Post "/mous/{id}/signatures" {
        summary: "Record one named organization's head's signature on an MOU (S-6), once; the \
            date may not be in the future",
        who: "SystemAdmins, while the MOU is neither terminated nor expired (`can_sign_mou`)",
        statuses: &[200, 401, 403, 404, 409, 422],
        query: NoQuery,
        body: SignatureRequest,
        response: MouView,
    }
    UploadMouDocument: Post "/mous/{id}/document" {
        summary: "Attach the signed MOU (S-6), once: the body is the raw PDF, JPEG or PNG with its \
            Content-Type (checked against the content), at most 10 MiB",
        who: "SystemAdmins, while the MOU is neither terminated nor expired \
            (`can_attach_mou_document`)",
        statuses: &[201, 401, 403, 404, 409, 413, 422],
        query: NoQuery,
        body: FileBody,
        response: DocumentInfo,
    }
    GetMouDocument: Get "/mous/{id}/document" {
        summary: "Download the signed MOU (S-6): the raw file with its Content-Type, as an \
            attachment (`nosniff`, `no-store`)",
        who: "SystemAdmins and users of a named organization (`can_read_mou_document`)",
        statuses: &[200, 401, 403, 404],
        query: NoQuery,
        body: NoBody,
        response: FileDownload,
    }
    TerminateMou: Post "/mous/{id}/terminate" {
        summary: "End an MOU early (S-6), effective `date` (default today, not in the past)",
        who: "SystemAdmins, while the MOU is neither terminated nor expired (`can_change_mou`)",
        statuses: &[200, 401, 403, 404, 409, 422],
        query: NoQuery,
        body: TerminateRequest,
        response: MouView,
    }
    GetMouImpact: Get "/mous/{id}/impact" {
        summary: "Impact preview (S-4, S-6): what each organization newly reads once the MOU \
            is active (`change=activate`) or loses once it is terminated (`change=terminate`), \
            effective `on` (default: today, or the MOU's start if later), decided by `can_read` \
            over every record; counts by reader, owner and record kind, never naming a client; \
            audited",
        who: "SystemAdmins (`can_preview_mou_impact`)",
        statuses: &[200, 401, 403, 404, 422],
        query: MouImpactQuery,
        body: NoBody,
        response: MouImpactView,
    }
}

// --- Accounts: organizations, programs, users, own account ---

endpoints! {
    ListOrganizations: Get "/organizations" {
        summary: "Every organization (agency), disabled ones included",
        who: "any signed-in user",
        statuses: &[200, 401],
        query: NoQuery,
        body: NoBody,
        response: Vec<Organization>,
    }
    CreateOrganization: Post "/organizations" {
        summary: "Create an organization; names are unique regardless of case (409)",
        who: "SystemAdmins (`admin::can_manage_org`)",
        statuses: &[201, 401, 403, 409, 422],
        query: NoQuery,
        body: NewOrganization,
        response: Organization,
    }
    UpdateOrganization: Patch "/organizations/{id}" {
        summary: "Rename, disable or enable an organization (each field present is changed)",
        who: "SystemAdmins (`admin::can_manage_org`)",
        statuses: &[200, 401, 403, 404, 409, 422],
        query: NoQuery,
        body: OrganizationPatch,
        response: Organization,
    }
    ListPrograms: Get "/programs" {
        summary: "Every program (HUD project), or one organization's with `?org=ID`",
        who: "any signed-in user",
        statuses: &[200, 401, 422],
        query: ProgramQuery,
        body: NoBody,
        response: Vec<Program>,
    }
    CreateProgram: Post "/programs" {
        summary: "Create a program of an active organization, with its HUD project type code \
            (HMIS Data Standards 2.02.6)",
        who: "SystemAdmins (`admin::can_manage_program`)",
        statuses: &[201, 401, 403, 422],
        query: NoQuery,
        body: NewProgram,
        response: Program,
    }
    UpdateProgram: Patch "/programs/{id}" {
        summary: "Rename a program, change its HUD project type, disable or enable it",
        who: "SystemAdmins (`admin::can_manage_program`)",
        statuses: &[200, 401, 403, 404, 422],
        query: NoQuery,
        body: ProgramPatch,
        response: Program,
    }
    ListUsers: Get "/users" {
        summary: "The users the caller manages (never a password hash)",
        who: "SystemAdmins (every user) and AgencyAdmins (their own agency's); caseworkers are \
            refused (`admin::can_manage_user`, `admin::can_view_user`)",
        statuses: &[200, 401, 403],
        query: NoQuery,
        body: NoBody,
        response: Vec<User>,
    }
    CreateUser: Post "/users" {
        summary: "Create a user (`org` defaults to the caller's) with a password under the \
            password policy; usernames are unique regardless of case (P-5, 409)",
        who: "SystemAdmins, and AgencyAdmins for Caseworkers and AgencyAdmins of their own agency \
            (`admin::can_manage_user`)",
        statuses: &[201, 401, 403, 409, 422],
        query: NoQuery,
        body: NewUser,
        response: User,
    }
    GetUser: Get "/users/{id}" {
        summary: "One user's account",
        who: "the user themself and those who manage them (`admin::can_view_user`); another \
            agency's user is 404 to those who may not manage them",
        statuses: &[200, 401, 403, 404],
        query: NoQuery,
        body: NoBody,
        response: User,
    }
    UpdateUser: Patch "/users/{id}" {
        summary: "Change a user's display name, role, disabled flag or notification email \
            address (`notify_email`: a string sets it, `null` clears it; 422 `notify_email` if \
            it is not an address); disabling ends their sessions at once (P-5). A new address \
            gets the notice \"Your Hearth notification address was changed\"; the old one is \
            kept in `notify_email_history`, never in the audit log",
        who: "those who manage the user both as they are and as they would be; nobody changes \
            the role of, or disables, their own account (`admin::can_update_user`)",
        statuses: &[200, 401, 403, 404, 422],
        query: NoQuery,
        body: UserPatch,
        response: User,
    }
    ResetPassword: Post "/users/{id}/password" {
        summary: "Set another user's password under the password policy; their sessions end \
            (P-5). One's own account is 422: use `POST /session/password`",
        who: "those who manage the user (`admin::can_manage_user`)",
        statuses: &[204, 401, 403, 404, 422],
        query: NoQuery,
        body: PasswordReset,
        response: NoContent,
    }
    ChangeOwnPassword: Post "/session/password" {
        summary: "Change one's own password: the current one (under the sign-in lockout) and a \
            new one under the password policy; the caller's other sessions end (P-5)",
        who: "any signed-in user, for their own account",
        statuses: &[204, 401, 403, 422],
        query: NoQuery,
        body: PasswordChange,
        response: NoContent,
    }
    SetOwnNotifyEmail: Put "/session/email" {
        summary: "Set (`\"email\": \"name@example.org\"`) or clear (`\"email\": null`) one's own \
            notification email address; 422 `email` if it is not an address, nothing stored. A \
            new address gets the notice \"Your Hearth notification address was changed\" (no \
            client data, R-13); clearing it holds the emails still waiting. Answers the caller's \
            own account",
        who: "any signed-in user, for their own account (`admin::can_set_notify_email`)",
        statuses: &[200, 401, 403, 422],
        query: NoQuery,
        body: NotifyEmailChange,
        response: User,
    }
}

// --- Audit log (P-4) ---

endpoints! {
    ListAudit: Get "/audit" {
        summary: "The audit log, newest first (P-4): filters `user`, `organization`, `hmis_number`, \
        `action`, `from`, `to` (dates, inclusive), paged by `limit` (1-500, default 100) and \
        either keyset cursors (`before` = the page's `older`, `after` = its `newer`: each page \
        costs the same however deep) or `offset`",
        who: "SystemAdmins (every entry) and AgencyAdmins (entries of their own agency's users; \
        another `organization` is 403); caseworkers are refused (`admin::audit_scope`, \
        `admin::can_read_audit_entry`)",
        statuses: &[200, 401, 403, 422],
        query: AuditQuery,
        body: NoBody,
        response: AuditPage,
    }
    ExportAudit: Get "/audit.csv" {
        summary: "The entries `GET /audit` would list for the same filters (`user`, \
        `organization`, `hmis_number`, `action`, `from`, `to`; no paging), every one, newest \
        first, as CSV (text/csv, RFC 4180 quoting): id, at, user_id, username, org_id, \
        hmis_number, action, reason. The export is itself audited",
        who: "as `GET /audit` (`admin::audit_scope`, `admin::can_read_audit_entry`)",
        statuses: &[200, 401, 403, 422],
        query: AuditQuery,
        body: NoBody,
        response: FileDownload,
    }
}

// --- Households: family name, relationships, address (seed 1b, S-1, R-4, R-5) ---

endpoints! {
    CreateHousehold: Post "/households" {
        summary: "A household under a family name with its first members, all from one start \
            date; exactly one is the head of household (`self_head_of_household`). A client \
            belongs to one household at a time",
        who: "any agency (`household::can_change_household`, S-1); each member a client the \
            caller may read (else 422 naming `members`)",
        statuses: CREATE,
        query: NoQuery,
        body: super::households::NewHouseholdRequest,
        response: super::households::HouseholdView,
    }
    GetHousehold: Get "/households/{id}" {
        summary: "A household: its family name, its members past and present (with their \
            relationship to the head, HUD 3.15), its address rows and its head today",
        who: "any signed-in user (S-1); members whose client the caller may not read are left out",
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: super::households::HouseholdView,
    }
    RenameHousehold: Patch "/households/{id}" {
        summary: "A new family name; the old one is kept in history (P-3)",
        who: "any agency (`household::can_change_household`, S-1)",
        statuses: CHANGE,
        query: NoQuery,
        body: super::households::RenameHouseholdRequest,
        response: super::households::HouseholdView,
    }
    ListClientHouseholds: Get "/clients/{id}/households" {
        summary: "A client's household memberships, current and past, and who their head of \
            household is today (a client in no household is their own head: R-9, R-10)",
        who: READERS,
        statuses: READ,
        query: NoQuery,
        body: NoBody,
        response: super::households::ClientHouseholds,
    }
    AddHouseholdMember: Post "/households/{id}/members" {
        summary: "A client joins the household from a date, with their relationship to the \
            head. Refused (422 naming the field) when the client is in a household then, when a \
            second head would be current (change the head instead), or when the household would \
            have no head on a date of the membership",
        who: "any agency (`household::can_change_household`, S-1)",
        statuses: CREATE,
        query: NoQuery,
        body: super::households::NewMemberRequest,
        response: super::households::HouseholdView,
    }
    ChangeHeadOfHousehold: Post "/households/{id}/head" {
        summary: "A new head of household from a date: every current row ends the day before \
            and new rows start (never an overwrite, R-4); members named in `relationships` \
            stay with their relationship to the new head, the others leave",
        who: "any agency (`household::can_change_household`, S-1)",
        statuses: CHANGE,
        query: NoQuery,
        body: super::households::ChangeHeadRequest,
        response: super::households::HouseholdView,
    }
    EndHouseholdMembership: Post "/household-members/{id}/end" {
        summary: "A member leaves: the membership row's last day. A head's row ends only when \
            no member stays on without a head",
        who: "any agency (`household::can_change_household`, S-1)",
        statuses: CHANGE,
        query: NoQuery,
        body: super::households::EndMembershipRequest,
        response: super::households::HouseholdView,
    }
    CreateHouseholdAddress: Post "/households/{id}/addresses" {
        summary: "A household address change at the client's direction: adds a row, end-dates \
            the rows it replaces and adds the correction note on the head of household's profile \
            unless declined; never an overwrite (R-4, R-5)",
        who: "any agency (`household::can_change_household`), with the client's direction \
            attested (`household::plan_address_change`)",
        statuses: CREATE,
        query: NoQuery,
        body: super::households::NewHouseholdAddress,
        response: super::households::HouseholdAddressResult,
    }
}

// --- Query strings ---

/// Pushes `name=value` when the value is present.
fn push<T: ToString>(out: &mut Vec<(&'static str, String)>, name: &'static str, v: &Option<T>) {
    if let Some(v) = v {
        out.push((name, v.to_string()));
    }
}

/// The most audit entries one page returns.
pub const AUDIT_MAX_LIMIT: i64 = 500;
/// The audit entries a page returns when the query names no `limit`.
pub const AUDIT_DEFAULT_LIMIT: i64 = 100;
/// The values of `GET /conflicts?kind=`.
pub const CONFLICT_KINDS: &[&str] = &["field", "entry_exit"];

#[cfg(feature = "schema")]
fn conflict_state_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names = crate::resolution::ConflictState::NAMES;
    schemars::json_schema!({ "type": "string", "enum": names })
}

#[cfg(feature = "schema")]
fn conflict_kind_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": CONFLICT_KINDS })
}

/// `GET /clients?q=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SearchQuery {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(min = crate::text::SEARCH_MIN_CHARS, max = crate::text::SEARCH_MAX_CHARS)))]
    pub q: String,
}

impl QueryParams for SearchQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "q",
        "name words (prefixes, any order, at most four; typos, swapped names, common nicknames \
         and accents tolerated, `shared::matching`), optionally a date of birth (YYYY-MM-DD or \
         MM/DD/YYYY) and an SSN's last four digits; or an exact HMIS number; 2 to 100 \
         characters",
    )];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![("q", self.q.clone())]
    }
}

/// `GET /programs?org=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProgramQuery {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::OrgId>"))]
    pub org: Option<String>,
}

impl QueryParams for ProgramQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "org",
        "only this organization's programs (an organization id)",
    )];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "org", &self.org);
        out
    }
}

/// `GET /audit?…`: every filter optional; values are checked by the server, which names the
/// faulty one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditQuery {
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::OrgId>"))]
    pub organization: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::HmisNumber>"))]
    pub hmis_number: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub from: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub to: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<i64>", range(min = 1, max = AUDIT_MAX_LIMIT)))]
    pub limit: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<i64>", range(min = 0)))]
    pub offset: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub action: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<i64>", range(min = 1)))]
    pub before: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<i64>", range(min = 1)))]
    pub after: Option<String>,
}

impl QueryParams for AuditQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("user", "entries by this username"),
        (
            "organization",
            "entries by users of this organization (an organization id)",
        ),
        ("hmis_number", "entries about this client (HMIS number)"),
        ("from", "entries on or after this date (YYYY-MM-DD)"),
        ("to", "entries on or before this date (YYYY-MM-DD)"),
        ("limit", "at most this many entries (a page)"),
        ("offset", "skip this many entries (the next page)"),
        (
            "action",
            "entries of exactly this action (e.g. `read client profile`)",
        ),
        (
            "before",
            "keyset paging: the entries older than this entry id (a page's `older`)",
        ),
        (
            "after",
            "keyset paging: the entries newer than this entry id (a page's `newer`)",
        ),
    ];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "user", &self.user);
        push(&mut out, "organization", &self.organization);
        push(&mut out, "hmis_number", &self.hmis_number);
        push(&mut out, "from", &self.from);
        push(&mut out, "to", &self.to);
        push(&mut out, "limit", &self.limit);
        push(&mut out, "offset", &self.offset);
        push(&mut out, "action", &self.action);
        push(&mut out, "before", &self.before);
        push(&mut out, "after", &self.after);
        out
    }
}

/// `GET /conflicts?…`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConflictListQuery {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(schema_with = "conflict_state_schema"))]
    pub state: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(schema_with = "conflict_kind_schema"))]
    pub kind: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::ClientId>"))]
    pub client: Option<i64>,
    /// `mine`: only the caller's resolution queue (`resolution::in_resolution_queue`).
    #[serde(default)]
    pub queue: Option<String>,
}

impl QueryParams for ConflictListQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("state", "open, agreed, escalated, data_center or resolved"),
        ("kind", "field or entry_exit"),
        ("client", "only this client's conflicts (a client id)"),
        (
            "queue",
            "mine: the caller's resolution queue (AgencyAdmins: addressed to their agency and \
             unresolved; SystemAdmins: entry/exit conflicts at the data center)",
        ),
    ];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "state", &self.state);
        push(&mut out, "kind", &self.kind);
        push(&mut out, "client", &self.client);
        push(&mut out, "queue", &self.queue);
        out
    }
}

/// `GET /entry-exit-conflicts?client=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryExitListQuery {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::ClientId>"))]
    pub client: Option<i64>,
}

impl QueryParams for EntryExitListQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "client",
        "every current detection of this client (a client id; enrollments are tier 2, S-2)",
    )];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "client", &self.client);
        out
    }
}

/// `POST /clients/{id}/attachments?…`: the file's description (the body is the file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AttachmentQuery {
    /// A `DocumentType` (e.g. `BirthCertificate`).
    #[cfg_attr(feature = "schema", schemars(with = "crate::records::DocumentType"))]
    pub document_type: String,
    pub file_name: String,
    /// A `SecuritySetting`; default: the document type's (S-5).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::SecuritySetting>"))]
    pub security: Option<String>,
    /// Attach to one of the client's services.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::RecordId>"))]
    pub service_id: Option<i64>,
}

impl QueryParams for AttachmentQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        (
            "document_type",
            "a DocumentType, e.g. BirthCertificate (required)",
        ),
        ("file_name", "the file's name (required)"),
        (
            "security",
            "a SecuritySetting; default: the document type's (S-5)",
        ),
        (
            "service_id",
            "attach to one of the client's services (R-11)",
        ),
    ];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("document_type", self.document_type.clone()),
            ("file_name", self.file_name.clone()),
        ];
        push(&mut out, "security", &self.security);
        push(&mut out, "service_id", &self.service_id);
        out
    }
}

/// The most days `GET /rois?ending_within_days=` looks ahead.
pub const ROI_REMINDER_MAX_DAYS: u32 = 366;

/// `GET /rois?ending_within_days=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoiListQuery {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<u32>", range(min = 0, max = ROI_REMINDER_MAX_DAYS)))]
    pub ending_within_days: Option<String>,
}

impl QueryParams for RoiListQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "ending_within_days",
        "releases ending within this many days (0 to 366; default: the policy's reminder window)",
    )];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "ending_within_days", &self.ending_within_days);
        out
    }
}

/// `GET /agency-rois?status=`: one of `shared::RoiStatus::FILTERS`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgencyRoiQuery {
    #[serde(default)]
    pub status: Option<String>,
}

impl QueryParams for AgencyRoiQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "status",
        "active, ending_soon, expired, revoked or not_started",
    )];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "status", &self.status);
        out
    }
}

/// `GET /mous/{id}/impact?change=&on=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MouImpactQuery {
    /// `activate` or `terminate` (required).
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::impact::MouChange>")
    )]
    pub change: Option<String>,
    /// The day the change takes effect (`YYYY-MM-DD`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub on: Option<String>,
}

impl QueryParams for MouImpactQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("change", "activate or terminate (required)"),
        (
            "on",
            "the day the change takes effect (YYYY-MM-DD; default: today, or the MOU's start if \
            later)",
        ),
    ];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "change", &self.change);
        push(&mut out, "on", &self.on);
        out
    }
}

// --- HUD CSV export (issue #16 point 3) ---

endpoints! {
    GetHudExport: Get "/hud-export" {
        summary: "HUD HMIS CSV FY2026 (\"2026 v1.0\") of the enrollments of some projects active \
            in a date range, as a zip of HUD's files in HUD's column order; optionally with \
            hashed names and SSNs (`HashStatus` 4). Audited: one entry, and a read of each \
            exported client (P-4)",
        who: "any signed-in user, for any project (`can_export_hud`); the files hold only what \
            the caller may read (P-6, S-8: each client and record through `can_read`)",
        statuses: &[200, 401, 422],
        query: HudExportQuery,
        body: NoBody,
        response: FileDownload,
    }
}

/// `GET /hud-export?from=&to=&projects=&hash=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HudExportQuery {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub from: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub to: Option<String>,
    /// Project (program) ids, comma-separated; absent or empty: every project.
    #[serde(default)]
    pub projects: Option<String>,
    /// `true` for hashed names and SSNs.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<bool>"))]
    pub hash: Option<String>,
}

impl QueryParams for HudExportQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        (
            "from",
            "enrollments active on or after this date (YYYY-MM-DD)",
        ),
        (
            "to",
            "enrollments active on or before this date (YYYY-MM-DD)",
        ),
        (
            "projects",
            "project (program) ids, comma-separated; absent: every project",
        ),
        (
            "hash",
            "true: names and SSNs hashed (HashStatus 4, SHA-256)",
        ),
    ];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        push(&mut out, "from", &self.from);
        push(&mut out, "to", &self.to);
        push(&mut out, "projects", &self.projects);
        push(&mut out, "hash", &self.hash);
        out
    }
}

// --- HUD CSV import (issue #16): the admin upload ---

endpoints! {
    StartHudImport: Post "/admin/hud-import" {
        summary: "Start a HUD CSV import (or, with `dry_run=true`, a dry run) of the body, a zip \
            of HUD CSV files (FY2026); it runs in the background, one at a time: poll \
            `GET /admin/hud-import` for its progress and report",
        who: "`can_import_hud`: SystemAdmins only",
        statuses: &[202, 401, 403, 409, 413, 422],
        query: super::hud_import::HudImportQuery,
        body: FileBody,
        response: super::hud_import::HudImportJob,
    }
    GetHudImport: Get "/admin/hud-import" {
        summary: "The latest HUD CSV import job since the server started (`null`: none): its \
            progress while it runs, then its report",
        who: "`can_import_hud`: SystemAdmins only",
        statuses: &[200, 401, 403],
        query: NoQuery,
        body: NoBody,
        response: Option<super::hud_import::HudImportJob>,
    }
}
