-- Statuses for a message id no send has (yet) are kept for hours and capped in number (Verification:UnknownReceiptRetention,
-- Verification:MaxUnknownReceipts): this index walks them newest first to find the cap, and oldest first to expire them,
-- without reading the receipts of known messages.
CREATE INDEX ix_delivery_receipts_unknown ON delivery_receipts (received_at, message_id, status) WHERE applied = 0;
