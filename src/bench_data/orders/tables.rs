//! One batch of multi-row INSERT text per table the generator writes.

use crate::bench_data::batch::Batch;
use crate::db::DbConnection;
use diesel::QueryResult;

/// One batch per table.
pub(super) struct Tables {
    pub(super) orders: Batch,
    pub(super) recipients: Batch,
    pub(super) shipments: Batch,
    pub(super) events: Batch,
    pub(super) tracking: Batch,
    pub(super) facts: Batch,
    pub(super) reviews: Batch,
    pub(super) confirmations: Batch,
    pub(super) checks: Batch,
    pub(super) tickets: Batch,
    pub(super) messages: Batch,
}

impl Tables {
    pub(super) fn new() -> Tables {
        Tables {
            orders: Batch::new(
                "orders",
                &[
                    "id",
                    "order_no",
                    "company_id",
                    "created_by",
                    "form_token",
                    "status",
                    "purpose",
                    "reference",
                    "weight_g",
                    "length_mm",
                    "width_mm",
                    "height_mm",
                    "battery",
                    "liquid",
                    "magnetic",
                    "powder",
                    "route_code",
                    "signature",
                    "insurance",
                    "expedited",
                    "ddp",
                    "submitted_at",
                    "created_at",
                    "updated_at",
                    "submitted_by",
                ],
            ),
            recipients: Batch::new(
                "order_recipients",
                &[
                    "order_id", "name", "company", "line1", "line2", "city", "state", "postcode",
                    "country", "phone", "email", "tax_id",
                ],
            ),
            shipments: Batch::new(
                "order_shipments",
                &[
                    "order_id",
                    "handover",
                    "received_at",
                    "handed_over_at",
                    "updated_at",
                ],
            ),
            events: Batch::new(
                "order_events",
                &[
                    "id",
                    "order_id",
                    "kind",
                    "from_status",
                    "to_status",
                    "note",
                    "at",
                    "params",
                ],
            ),
            tracking: Batch::new(
                "tracking_events",
                &[
                    "id",
                    "order_id",
                    "milestone",
                    "reason",
                    "event_at",
                    "utc_offset_minutes",
                    "city",
                    "country",
                    "carrier_text",
                    "source",
                    "raw_payload",
                    "moved",
                    "created_at",
                ],
            ),
            facts: Batch::new(
                "order_facts",
                &[
                    "order_id",
                    "route_code",
                    "country",
                    "outcome",
                    "month",
                    "transit_days",
                    "on_time",
                    "customs_held",
                    "customs_cleared",
                    "had_exception",
                    "longest_silence_hours",
                    "parcel_condition",
                    "quote_accurate",
                    "first_response_minutes",
                ],
            ),
            reviews: Batch::new(
                "reviews",
                &[
                    "id",
                    "order_id",
                    "route_code",
                    "country",
                    "company_id",
                    "author_id",
                    "overall",
                    "timeliness",
                    "service",
                    "customs",
                    "tracking",
                    "packaging",
                    "body",
                    "tags",
                    "has_text",
                    "photo_count",
                    "reviewer_city",
                    "reviewer_category",
                    "weight_band",
                    "weight",
                    "status",
                    "open_reports",
                    "demo",
                    "created_at",
                    "updated_at",
                ],
            ),
            confirmations: Batch::new(
                "recipient_confirmations",
                &[
                    "id",
                    "order_id",
                    "parcel_condition",
                    "comment",
                    "recorded_delivery",
                    "created_at",
                ],
            ),
            checks: Batch::new(
                "parcel_checks",
                &[
                    "id",
                    "order_id",
                    "outcome",
                    "weight_g",
                    "length_mm",
                    "width_mm",
                    "height_mm",
                    "contents_match",
                    "note",
                    "chargeable_weight_g",
                    "bill_lines",
                    "bill_total_fen",
                    "charged_before_fen",
                    "within_tolerance",
                    "checked_by",
                    "checked_at",
                ],
            ),
            tickets: Batch::new(
                "tickets",
                &[
                    "id",
                    "company_id",
                    "order_id",
                    "category",
                    "subject",
                    "status",
                    "opened_by",
                    "created_at",
                    "first_response_at",
                    "resolved_at",
                    "updated_at",
                ],
            ),
            messages: Batch::new(
                "ticket_messages",
                &[
                    "id",
                    "ticket_id",
                    "author_id",
                    "from_staff",
                    "body",
                    "created_at",
                ],
            ),
        }
    }

    /// Sends every batch, parents before children.
    pub(super) fn flush(&mut self, conn: &mut DbConnection) -> QueryResult<()> {
        for batch in [
            &mut self.orders,
            &mut self.recipients,
            &mut self.shipments,
            &mut self.events,
            &mut self.tracking,
            &mut self.facts,
            &mut self.reviews,
            &mut self.confirmations,
            &mut self.checks,
            &mut self.tickets,
            &mut self.messages,
        ] {
            batch.flush(conn)?;
        }
        Ok(())
    }
}
