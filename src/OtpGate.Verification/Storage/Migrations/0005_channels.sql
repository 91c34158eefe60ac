-- Each verification and each send records the channel that carried it, so another channel can be added beside
-- WhatsApp; rows from before were all sent through WhatsApp.
ALTER TABLE verifications ADD COLUMN channel TEXT NOT NULL DEFAULT 'whatsapp';
ALTER TABLE sends ADD COLUMN channel TEXT NOT NULL DEFAULT 'whatsapp';

-- Delivery news is stored in the engine's terms: a failure's reason and whether it was temporary, as its channel
-- classified them (a receipt waiting for its send is applied later without asking the channel again).
ALTER TABLE delivery_receipts ADD COLUMN failure_reason TEXT NULL;
ALTER TABLE delivery_receipts ADD COLUMN temporary BIGINT NOT NULL DEFAULT 0;
