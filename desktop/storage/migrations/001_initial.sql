-- Schema version 1: the question bank, cards, reviews, practice sessions, settings,
-- model calibrations.

CREATE TABLE decks (
	id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	source_path TEXT NOT NULL,
	title TEXT NOT NULL,
	content_hash VARCHAR(64) NOT NULL,
	imported_at TEXT NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);

CREATE TABLE model_calibrations (
	id INTEGER NOT NULL,
	model_key VARCHAR NOT NULL,
	model_name TEXT NOT NULL,
	measured_at TEXT NOT NULL,
	cases INTEGER NOT NULL,
	agreed INTEGER NOT NULL,
	result TEXT NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (model_key)
);

CREATE TABLE practice_sessions (
	id INTEGER NOT NULL,
	kind VARCHAR(16) NOT NULL,
	started_at TEXT NOT NULL,
	finished_at TEXT,
	config TEXT NOT NULL,
	counts_toward_schedule BOOLEAN NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE settings (
	"key" VARCHAR NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY ("key")
);

CREATE TABLE topics (
	id INTEGER NOT NULL,
	deck_id INTEGER NOT NULL,
	path TEXT NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (deck_id, path),
	FOREIGN KEY(deck_id) REFERENCES decks (id) ON DELETE CASCADE
);

CREATE TABLE questions (
	id INTEGER NOT NULL,
	deck_id INTEGER NOT NULL,
	topic_id INTEGER,
	identity TEXT NOT NULL,
	kind VARCHAR(16) NOT NULL,
	prompt TEXT NOT NULL,
	reference TEXT NOT NULL,
	key_points TEXT NOT NULL,
	wrong_answer TEXT,
	tags TEXT NOT NULL,
	source_file TEXT NOT NULL,
	source_line INTEGER NOT NULL,
	source_hash VARCHAR(64) NOT NULL,
	edited BOOLEAN NOT NULL,
	status VARCHAR(16) NOT NULL,
	position INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	seen BOOLEAN DEFAULT 0 NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (deck_id, identity),
	FOREIGN KEY(deck_id) REFERENCES decks (id) ON DELETE CASCADE,
	FOREIGN KEY(topic_id) REFERENCES topics (id) ON DELETE SET NULL
);
CREATE INDEX ix_questions_status_deck_position ON questions (status, deck_id, position);
CREATE INDEX ix_questions_topic ON questions (topic_id);
CREATE INDEX ix_questions_unseen ON questions (deck_id, position) WHERE status = 'active' AND seen = 0;

CREATE TABLE cards (
	question_id INTEGER NOT NULL,
	state VARCHAR(16) NOT NULL,
	step INTEGER,
	stability FLOAT,
	difficulty FLOAT,
	due TEXT NOT NULL,
	last_review TEXT,
	reps INTEGER NOT NULL,
	lapses INTEGER NOT NULL,
	buried_until TEXT,
	PRIMARY KEY (question_id),
	FOREIGN KEY(question_id) REFERENCES questions (id) ON DELETE CASCADE
);
CREATE INDEX ix_cards_state_due ON cards (state, due);

CREATE TABLE reviews (
	id INTEGER NOT NULL,
	question_id INTEGER NOT NULL,
	session_id INTEGER,
	reviewed_at TEXT NOT NULL,
	answer_text TEXT NOT NULL,
	duration_ms INTEGER NOT NULL,
	grade_status VARCHAR(16) NOT NULL,
	score FLOAT,
	key_point_verdicts TEXT NOT NULL,
	feedback TEXT NOT NULL,
	grade_reason TEXT NOT NULL,
	flags TEXT NOT NULL,
	model TEXT NOT NULL,
	grader_settings TEXT NOT NULL,
	suggested_rating INTEGER,
	rating INTEGER NOT NULL,
	overridden BOOLEAN NOT NULL,
	counted BOOLEAN NOT NULL,
	card_before TEXT,
	card_after TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(question_id) REFERENCES questions (id) ON DELETE CASCADE,
	FOREIGN KEY(session_id) REFERENCES practice_sessions (id) ON DELETE SET NULL
);
CREATE INDEX ix_reviews_question_time ON reviews (question_id, reviewed_at);
CREATE INDEX ix_reviews_time ON reviews (reviewed_at);
