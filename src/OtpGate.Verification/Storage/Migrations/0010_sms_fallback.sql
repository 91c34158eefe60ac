-- A WhatsApp send that may fall back to SMS records when: the service's delivery deadline after its acceptance. It is
-- cleared by a delivered, read or failed status, and by the sweep that takes it; the partial index holds only the
-- sends still waiting (seconds each), so the sweep's one query reads the few that are due and nothing else.
ALTER TABLE sends ADD COLUMN fallback_due_at BIGINT NULL;
CREATE INDEX ix_sends_fallback_due ON sends (fallback_due_at) WHERE fallback_due_at IS NOT NULL;
