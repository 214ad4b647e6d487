//! The sample-order lifecycle (DESIGN.md §2) as a pure state machine: which
//! event may move an order from which state, and who may send it. Services
//! ask here before they write; handlers never set a status themselves.

use super::status::text_enum;

text_enum!(
    /// Where an order stands. One parcel is one order.
    OrderStatus {
        AwaitingAddress => "awaiting_address",
        Draft => "draft",
        PendingApproval => "pending_approval",
        Approved => "approved",
        Paid => "paid",
        Received => "received",
        OnHold => "on_hold",
        InTransit => "in_transit",
        Customs => "customs",
        OutForDelivery => "out_for_delivery",
        Delivered => "delivered",
        Exception => "exception",
        Returned => "returned",
        Lost => "lost",
        Cancelled => "cancelled",
    }
);

impl OrderStatus {
    /// No event leaves these states.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrderStatus::Delivered
                | OrderStatus::Returned
                | OrderStatus::Lost
                | OrderStatus::Cancelled
        )
    }

    /// The seller may still change the order's content.
    pub fn is_editable(self) -> bool {
        matches!(self, OrderStatus::Draft | OrderStatus::AwaitingAddress)
    }

    /// Documents for sensitive goods may still be attached: until paid, and
    /// while a parcel the warehouse refused waits for a corrected declaration.
    pub fn takes_documents(self) -> bool {
        matches!(
            self,
            OrderStatus::AwaitingAddress
                | OrderStatus::Draft
                | OrderStatus::PendingApproval
                | OrderStatus::Approved
                | OrderStatus::Exception
        )
    }

    /// The route can be rated once the order reached one of these (DESIGN.md §6).
    pub fn is_reviewable(self) -> bool {
        matches!(
            self,
            OrderStatus::Delivered | OrderStatus::Returned | OrderStatus::Lost
        )
    }

    /// Money has left the balance and comes back on cancellation.
    pub fn is_paid(self) -> bool {
        self == OrderStatus::Paid
    }

    /// A parcel label can be printed: paid or any later state, but not a
    /// cancelled order (its parcel must not travel).
    pub fn is_labelable(self) -> bool {
        !matches!(
            self,
            OrderStatus::AwaitingAddress
                | OrderStatus::Draft
                | OrderStatus::PendingApproval
                | OrderStatus::Approved
                | OrderStatus::Cancelled
        )
    }
}

/// Who sends an event, as far as the lifecycle cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A seller, manager or owner of the ordering company.
    Member,
    /// A manager or owner approving someone else's order.
    Approver,
    /// The recipient, through the one-time address link (no account).
    Recipient,
    /// Platform staff (warehouse, tracking).
    Staff,
    /// The platform itself (tracking silence, carrier feeds).
    System,
}

/// Something that happens to an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The recipient confirmed their address through the link.
    AddressConfirmed,
    /// Submitted; `needs_approval` is the company policy's answer for this order.
    Submit {
        needs_approval: bool,
    },
    Approve,
    /// Back to draft, with the approver's comment.
    Reject {
        comment: String,
    },
    Pay,
    /// Before the warehouse has it; a paid order is refunded in the same transaction.
    Cancel,
    /// The warehouse received and weighed the parcel.
    Receive,
    /// The weighed parcel costs more than was paid and waits for the difference.
    Hold,
    /// The difference was paid (by the seller, or by the platform once a top-up covers it).
    Release,
    /// The warehouse found that the parcel does not match its declaration.
    Refuse,
    /// The seller corrected the declaration of a refused parcel; it is weighed again.
    Correct,
    /// The seller has the parcel sent back from the warehouse, for a fee.
    ReturnToSender,
    /// Handed to the carrier with a waybill number.
    Dispatch,
    CustomsHold,
    OutForDelivery,
    Deliver,
    Exception,
    /// An exception resolved: the parcel moves again.
    Resume,
    Return,
    Lose,
    /// The seller has a refused or undeliverable parcel shipped back as a
    /// return order (paid in the same transaction); the original ends here.
    SendBack,
    /// The carrier collected a paid return order's parcel abroad: a return
    /// never passes the warehouse on its way out, so it goes from paid
    /// straight to in transit.
    CollectReturn,
}

impl Event {
    /// The name written to `order_events.kind`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::AddressConfirmed => "address_confirmed",
            Event::Submit { .. } => "submit",
            Event::Approve => "approve",
            Event::Reject { .. } => "reject",
            Event::Pay => "pay",
            Event::Cancel => "cancel",
            Event::Receive => "receive",
            Event::Hold => "hold",
            Event::Release => "release",
            Event::Refuse => "refuse",
            Event::Correct => "correct",
            Event::ReturnToSender => "return_to_sender",
            Event::Dispatch => "dispatch",
            Event::CustomsHold => "customs",
            Event::OutForDelivery => "out_for_delivery",
            Event::Deliver => "deliver",
            Event::Exception => "exception",
            Event::Resume => "resume",
            Event::Return => "return",
            Event::Lose => "lose",
            Event::SendBack => "returns.send_back",
            Event::CollectReturn => "returns.collected",
        }
    }

    /// Who may send this event.
    fn allowed(&self, actor: Actor) -> bool {
        use Actor::*;
        match self {
            Event::AddressConfirmed => actor == Recipient,
            Event::Submit { .. } | Event::Pay | Event::Cancel => actor == Member,
            Event::Approve | Event::Reject { .. } => actor == Approver,
            Event::Receive | Event::Hold | Event::Refuse | Event::Dispatch => actor == Staff,
            Event::Correct | Event::ReturnToSender | Event::SendBack => actor == Member,
            Event::Release => matches!(actor, Member | Staff | System),
            // The recipient confirming receipt reports the delivery, and
            // from customs or an exception the parcel moves on first.
            Event::Deliver | Event::Resume => matches!(actor, Staff | System | Recipient),
            Event::CustomsHold
            | Event::OutForDelivery
            | Event::Exception
            | Event::Return
            | Event::Lose
            | Event::CollectReturn => matches!(actor, Staff | System),
        }
    }
}

/// Why an event was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{actor:?} may not {event}")]
    NotAllowed { actor: Actor, event: &'static str },
    #[error("cannot {event} an order that is {from}")]
    WrongState {
        from: OrderStatus,
        event: &'static str,
    },
    #[error("a rejection needs a comment")]
    MissingComment,
}

impl TransitionError {
    pub fn message_key(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "error.order.not_allowed",
            TransitionError::WrongState { .. } => "error.order.wrong_state",
            TransitionError::MissingComment => "error.order.comment_required",
        }
    }
}

/// The state after `event`, or why it cannot happen.
pub fn next(
    from: OrderStatus,
    event: &Event,
    actor: Actor,
) -> Result<OrderStatus, TransitionError> {
    use OrderStatus::*;
    if !event.allowed(actor) {
        return Err(TransitionError::NotAllowed {
            actor,
            event: event.name(),
        });
    }
    let to = match (from, event) {
        (AwaitingAddress, Event::AddressConfirmed) => Some(Draft),
        (
            Draft,
            Event::Submit {
                needs_approval: true,
            },
        ) => Some(PendingApproval),
        (
            Draft,
            Event::Submit {
                needs_approval: false,
            },
        ) => Some(Approved),
        (PendingApproval, Event::Approve) => Some(Approved),
        (PendingApproval, Event::Reject { comment }) => {
            if comment.trim().is_empty() {
                return Err(TransitionError::MissingComment);
            }
            Some(Draft)
        }
        (Approved, Event::Pay) => Some(Paid),
        (AwaitingAddress | Draft | PendingApproval | Approved | Paid, Event::Cancel) => {
            Some(Cancelled)
        }
        (Paid, Event::Receive) => Some(Received),
        (Received, Event::Hold) => Some(OnHold),
        (OnHold, Event::Release) => Some(Received),
        (Paid | Received | OnHold, Event::Refuse) => Some(Exception),
        (Exception, Event::Correct) => Some(Paid),
        // A corrected parcel waits in `paid` at the warehouse; the service
        // checks that the warehouse has the parcel.
        (Paid | Received | OnHold | Exception, Event::ReturnToSender) => Some(Returned),
        (Received, Event::Dispatch) => Some(InTransit),
        (InTransit, Event::CustomsHold) => Some(Customs),
        (InTransit | Customs, Event::OutForDelivery) => Some(OutForDelivery),
        (InTransit | Customs | OutForDelivery, Event::Deliver) => Some(Delivered),
        (InTransit | Customs | OutForDelivery, Event::Exception) => Some(Exception),
        // Customs released the parcel, or the carrier reports it moving again.
        (Exception | Customs, Event::Resume) => Some(InTransit),
        // Carriers report a return or a loss straight from any moving state.
        (InTransit | Customs | OutForDelivery | Exception, Event::Return) => Some(Returned),
        (InTransit | Customs | OutForDelivery | Exception, Event::Lose) => Some(Lost),
        // Only a parcel stuck abroad is sent back; the service checks that
        // the exception is the carrier's (refused, undeliverable).
        (Exception, Event::SendBack) => Some(Returned),
        // The service sends it only for return orders (`domain::tracking::return_moves`).
        (Paid, Event::CollectReturn) => Some(InTransit),
        _ => None,
    };
    to.ok_or(TransitionError::WrongState {
        from,
        event: event.name(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    fn go(from: OrderStatus, event: Event, actor: Actor) -> Result<OrderStatus, TransitionError> {
        next(from, &event, actor)
    }

    #[test]
    fn the_happy_path_runs_from_draft_to_delivered() {
        let mut state = Draft;
        for (event, actor) in [
            (
                Event::Submit {
                    needs_approval: true,
                },
                Actor::Member,
            ),
            (Event::Approve, Actor::Approver),
            (Event::Pay, Actor::Member),
            (Event::Receive, Actor::Staff),
            (Event::Dispatch, Actor::Staff),
            (Event::CustomsHold, Actor::System),
            (Event::OutForDelivery, Actor::System),
            (Event::Deliver, Actor::System),
        ] {
            state = next(state, &event, actor).expect("allowed");
        }
        assert_eq!(state, Delivered);
        assert!(state.is_final() && state.is_reviewable());
    }

    #[test]
    fn an_order_without_approval_needed_is_approved_on_submit() {
        assert_eq!(
            go(
                Draft,
                Event::Submit {
                    needs_approval: false
                },
                Actor::Member
            ),
            Ok(Approved)
        );
    }

    #[test]
    fn a_rejection_returns_the_order_to_draft_and_needs_a_comment() {
        let reject = |comment: &str| {
            go(
                PendingApproval,
                Event::Reject {
                    comment: comment.into(),
                },
                Actor::Approver,
            )
        };
        assert_eq!(reject("too expensive"), Ok(Draft));
        assert_eq!(reject("  "), Err(TransitionError::MissingComment));
    }

    #[test]
    fn a_seller_cannot_approve_and_staff_cannot_pay() {
        assert!(matches!(
            go(PendingApproval, Event::Approve, Actor::Member),
            Err(TransitionError::NotAllowed { .. })
        ));
        assert!(matches!(
            go(Approved, Event::Pay, Actor::Staff),
            Err(TransitionError::NotAllowed { .. })
        ));
    }

    #[test]
    fn cancelling_is_possible_only_before_the_warehouse_has_the_parcel() {
        for state in [AwaitingAddress, Draft, PendingApproval, Approved, Paid] {
            assert_eq!(
                go(state, Event::Cancel, Actor::Member),
                Ok(Cancelled),
                "{state}"
            );
        }
        for state in [Received, OnHold, InTransit, Delivered] {
            assert!(
                matches!(
                    go(state, Event::Cancel, Actor::Member),
                    Err(TransitionError::WrongState { .. })
                ),
                "{state}"
            );
        }
    }

    #[test]
    fn a_shortfall_holds_the_parcel_until_it_is_paid() {
        assert_eq!(go(Received, Event::Hold, Actor::Staff), Ok(OnHold));
        assert_eq!(go(OnHold, Event::Release, Actor::Member), Ok(Received));
        assert!(go(OnHold, Event::Dispatch, Actor::Staff).is_err());
    }

    #[test]
    fn a_refused_parcel_is_corrected_and_weighed_again_or_sent_back() {
        for state in [Paid, Received, OnHold] {
            assert_eq!(go(state, Event::Refuse, Actor::Staff), Ok(Exception));
        }
        assert!(go(Paid, Event::Refuse, Actor::Member).is_err());
        assert_eq!(go(Exception, Event::Correct, Actor::Member), Ok(Paid));
        assert_eq!(
            go(Exception, Event::ReturnToSender, Actor::Member),
            Ok(Returned)
        );
        // After receipt the seller's cancel is a return; before it, a cancel.
        assert_eq!(
            go(Received, Event::ReturnToSender, Actor::Member),
            Ok(Returned)
        );
        assert!(go(Exception, Event::Correct, Actor::Staff).is_err());
    }

    #[test]
    fn a_top_up_releases_a_held_parcel_on_the_platforms_behalf() {
        assert_eq!(go(OnHold, Event::Release, Actor::System), Ok(Received));
    }

    #[test]
    fn an_exception_ends_returned_lost_or_moving_again() {
        assert_eq!(
            go(InTransit, Event::Exception, Actor::System),
            Ok(Exception)
        );
        assert_eq!(go(Exception, Event::Resume, Actor::Staff), Ok(InTransit));
        assert_eq!(go(Exception, Event::Return, Actor::Staff), Ok(Returned));
        assert_eq!(go(Exception, Event::Lose, Actor::Staff), Ok(Lost));
    }

    #[test]
    fn customs_releases_and_carriers_report_losses_and_returns_in_transit() {
        assert_eq!(go(Customs, Event::Resume, Actor::System), Ok(InTransit));
        for state in [InTransit, Customs, OutForDelivery] {
            assert_eq!(go(state, Event::Lose, Actor::System), Ok(Lost));
            assert_eq!(go(state, Event::Return, Actor::System), Ok(Returned));
        }
        assert!(go(InTransit, Event::Resume, Actor::System).is_err());
        assert!(go(Received, Event::Lose, Actor::System).is_err());
        assert!(go(Customs, Event::Resume, Actor::Member).is_err());
    }

    #[test]
    fn nothing_leaves_a_final_state() {
        let events = [
            Event::AddressConfirmed,
            Event::Submit {
                needs_approval: true,
            },
            Event::Approve,
            Event::Pay,
            Event::Cancel,
            Event::Receive,
            Event::Dispatch,
            Event::Deliver,
            Event::Exception,
            Event::Resume,
        ];
        let actors = [
            Actor::Member,
            Actor::Approver,
            Actor::Recipient,
            Actor::Staff,
            Actor::System,
        ];
        for state in OrderStatus::ALL.iter().filter(|s| s.is_final()) {
            for event in &events {
                for actor in actors {
                    assert!(
                        next(*state, event, actor).is_err(),
                        "{state} {event:?} {actor:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_seller_sends_back_only_a_parcel_in_exception() {
        assert_eq!(go(Exception, Event::SendBack, Actor::Member), Ok(Returned));
        for state in [Paid, InTransit, OutForDelivery, Delivered, Returned] {
            assert!(
                go(state, Event::SendBack, Actor::Member).is_err(),
                "{state}"
            );
        }
        assert!(matches!(
            go(Exception, Event::SendBack, Actor::System),
            Err(TransitionError::NotAllowed { .. })
        ));
    }

    #[test]
    fn a_collected_return_goes_from_paid_to_in_transit_and_on_to_delivered() {
        let mut state = Paid;
        for event in [Event::CollectReturn, Event::CustomsHold, Event::Deliver] {
            state = next(state, &event, Actor::System).expect("allowed");
        }
        assert_eq!(state, Delivered);
        assert!(go(Received, Event::CollectReturn, Actor::Staff).is_err());
        assert!(go(Paid, Event::CollectReturn, Actor::Member).is_err());
    }

    #[test]
    fn a_recipient_confirming_receipt_delivers_but_reports_nothing_else() {
        for state in [InTransit, Customs, OutForDelivery] {
            assert_eq!(go(state, Event::Deliver, Actor::Recipient), Ok(Delivered));
        }
        assert_eq!(
            go(Exception, Event::Resume, Actor::Recipient),
            Ok(InTransit)
        );
        for event in [
            Event::Exception,
            Event::Lose,
            Event::Return,
            Event::CustomsHold,
        ] {
            assert!(go(InTransit, event, Actor::Recipient).is_err());
        }
    }

    #[test]
    fn only_the_recipient_confirms_the_address() {
        assert_eq!(
            go(AwaitingAddress, Event::AddressConfirmed, Actor::Recipient),
            Ok(Draft)
        );
        assert!(go(AwaitingAddress, Event::AddressConfirmed, Actor::Member).is_err());
    }

    #[test]
    fn only_drafts_and_address_waits_are_editable() {
        let editable: Vec<_> = OrderStatus::ALL
            .iter()
            .filter(|s| s.is_editable())
            .collect();
        assert_eq!(editable, [&AwaitingAddress, &Draft]);
    }
}
