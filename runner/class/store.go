package class

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/labrun/labrun/runner/i18n" // the database/sql driver "sqlite", pure Go
)

// schema is a class's database: one class per file, so that deleting the
// class is deleting the file. Tokens are stored as their SHA-256: they are
// 256 random bits, which a fast hash keeps secret as well as a slow one
// would, and a stolen database gives no one a student's pen.
const schema = `
CREATE TABLE IF NOT EXISTS class (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	code       TEXT NOT NULL,
	instructor TEXT NOT NULL, -- SHA-256 of the instructor's token
	created    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS student (
	id     INTEGER PRIMARY KEY,
	name   TEXT NOT NULL UNIQUE,
	token  TEXT NOT NULL UNIQUE, -- SHA-256 of the student's token
	joined INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS event (
	student INTEGER NOT NULL REFERENCES student(id),
	eid     TEXT NOT NULL,
	at      INTEGER NOT NULL, -- the server's clock, Unix ms
	body    TEXT NOT NULL,    -- the event as the student sent it (JSON)
	PRIMARY KEY (student, eid)
);
`

// Store is a class's database.
type Store struct {
	db   *sql.DB
	path string
	Code string
}

// TokenFile is where the instructor's token is kept, beside the database
// and readable by its owner only, so that a restarted server can print
// the board's URL again.
func TokenFile(db string) string { return db + ".token" }

// Open opens the class database at path, creating the class (its join
// code and the instructor's token) the first time. It returns the
// instructor's token, read from TokenFile.
func Open(path string) (*Store, string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, "", err
	}
	// WAL: the board's readers never wait for a student's write; NORMAL
	// sync is durable across a crash of labrun, which is what a class
	// server must survive (a power cut may lose the last second).
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, "", err
	}
	// One connection: SQLite writes one at a time anyway, and the server
	// groups concurrent writes into one transaction (writer).
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	token, err := s.init()
	if err != nil {
		db.Close()
		return nil, "", i18n.Errorf("%s: %v", path, err)
	}
	return s, token, nil
}

func (s *Store) init() (string, error) {
	if _, err := s.db.Exec(schema); err != nil {
		return "", err
	}
	var hash string
	err := s.db.QueryRow(`SELECT code, instructor FROM class WHERE id = 1`).Scan(&s.Code, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		// A new class: the token file is written before the row, so that
		// a class never exists whose board no one can open.
		token := newToken()
		if err := writeFileAtomic(TokenFile(s.path), []byte(token+"\n"), 0o600); err != nil {
			return "", err
		}
		s.Code = newCode()
		_, err = s.db.Exec(`INSERT INTO class (id, code, instructor, created) VALUES (1, ?, ?, ?)`, s.Code, hashToken(token), time.Now().UnixMilli())
		return token, err
	}
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(TokenFile(s.path))
	if err != nil {
		return "", i18n.Errorf("the instructor's token: %v (it is made with the class; labrun class delete and serve again make a new class)", err)
	}
	token := strings.TrimSpace(string(data))
	if !sameHash(hashToken(token), hash) {
		return "", i18n.Errorf("%s does not hold this class's instructor token", TokenFile(s.path))
	}
	return token, nil
}

// Close closes the database, checkpointing its log into the file.
func (s *Store) Close() error { return s.db.Close() }

// Join enrols a student and returns their token; a name already in the
// class is refused (errNameTaken).
func (s *Store) Join(ctx context.Context, name string) (id int64, token string, err error) {
	token = newToken()
	res, err := s.db.ExecContext(ctx, `INSERT INTO student (name, token, joined) VALUES (?, ?, ?)`, name, hashToken(token), time.Now().UnixMilli())
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, "", errNameTaken
		}
		return 0, "", err
	}
	id, err = res.LastInsertId()
	return id, token, err
}

var errNameTaken = errors.New("name taken")

// Student returns the student whose token this is; ok is false for no
// student.
func (s *Store) Student(ctx context.Context, token string) (id int64, name string, ok bool) {
	err := s.db.QueryRowContext(ctx, `SELECT id, name FROM student WHERE token = ?`, hashToken(token)).Scan(&id, &name)
	return id, name, err == nil
}

// Instructor says whether token is the instructor's.
func (s *Store) Instructor(ctx context.Context, token string) bool {
	var hash string
	if err := s.db.QueryRowContext(ctx, `SELECT instructor FROM class WHERE id = 1`).Scan(&hash); err != nil {
		return false
	}
	return sameHash(hashToken(token), hash)
}

// add stores batches of events in one transaction, each event once: one
// already stored (resent after a lost reply) is skipped. It returns the
// events newly stored.
func (s *Store) add(ctx context.Context, batches []*stored) ([]stored, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO event (student, eid, at, body) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	var added []stored
	for _, e := range batches {
		body, err := json.Marshal(e.Event)
		if err != nil {
			return nil, err
		}
		res, err := ins.ExecContext(ctx, e.Student, e.ID, e.At, string(body))
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added = append(added, *e)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return added, nil
}

// Board reads the whole class into a board: every student, then every
// event in the order of its time.
func (s *Store) Board(ctx context.Context, lang string, stuck time.Duration) (*Board, error) {
	b := NewBoard(s.Code, lang, stuck.Milliseconds())
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM student ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		b.enrol(id, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT student, at, body FROM event ORDER BY at, rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e stored
		var body string
		if err := rows.Scan(&e.Student, &e.At, &body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &e.Event); err != nil {
			return nil, i18n.Errorf("event of student %d: %v", e.Student, err)
		}
		b.Apply(e)
	}
	b.Now = time.Now().UnixMilli()
	return b, rows.Err()
}

// Delete removes a class: its database with SQLite's side files, and the
// instructor's token. It returns the files it removed.
func Delete(path string) ([]string, error) {
	var removed []string
	os.Remove(lockFile(path)) // holds nothing: only a running server's lock
	for _, f := range []string{path, path + "-wal", path + "-shm", TokenFile(path)} {
		err := os.Remove(f)
		if err == nil {
			removed = append(removed, f)
		} else if !errors.Is(err, os.ErrNotExist) {
			return removed, err
		}
	}
	return removed, nil
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func newCode() string {
	b := make([]byte, joinCodeLen)
	rand.Read(b)
	for i := range b {
		b[i] = joinAlphabet[int(b[i])%len(joinAlphabet)] // 256 is a multiple of 32: no bias
	}
	return string(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func sameHash(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// writeFileAtomic writes a file that readers see whole or not at all.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
