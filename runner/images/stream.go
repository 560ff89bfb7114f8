package images

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/moby/moby/api/types/jsonstream"
)

// streamMessage is one message of the engine's JSON stream. Older engines
// also send the error as a bare string in "error", which jsonstream.Message
// does not decode.
type streamMessage struct {
	jsonstream.Message
	ErrorMessage string `json:"error"`
}

// err returns the error the message reports, if any.
func (m streamMessage) err() error {
	switch {
	case m.Error != nil && m.Error.Message != "":
		return errors.New(m.Error.Message)
	case m.ErrorMessage != "":
		return errors.New(m.ErrorMessage)
	}
	return nil
}

// decodeStream reads the JSON stream with which the engine answers a build,
// a pull or a load, to its end. The engine reports a failure inside a stream
// that began with 200 OK, so only the whole stream tells whether the call
// worked: decodeStream returns the first error the stream reports, or the
// error that cut it short. It returns the image ID of the last aux message
// (builds send one), and calls progress, when not nil, with each line of
// output and each status, but not with the updates of progress bars.
func decodeStream(r io.Reader, progress func(line string)) (imageID string, err error) {
	dec := json.NewDecoder(r)
	for {
		var m streamMessage
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return imageID, nil
		} else if err != nil {
			return "", i18n.Errorf("reading the engine's answer: %v", err)
		}
		if err := m.err(); err != nil {
			return "", err
		}
		if m.Aux != nil {
			var aux struct{ ID string }
			if json.Unmarshal(*m.Aux, &aux) == nil && aux.ID != "" {
				imageID = aux.ID
			}
		}
		if progress != nil {
			report(m, progress)
		}
	}
}

// report calls progress with the lines m has for a person to read.
func report(m streamMessage, progress func(line string)) {
	for line := range strings.Lines(m.Stream) {
		if line = strings.TrimRight(line, "\r\n"); line != "" {
			progress(line)
		}
	}
	// A status with a count is one more step of a progress bar: hundreds of
	// them per layer, and the statuses around them say when it starts and ends.
	if m.Status == "" || (m.Progress != nil && (m.Progress.Current != 0 || m.Progress.Total != 0)) {
		return
	}
	if m.ID != "" {
		progress(m.ID + ": " + m.Status)
	} else {
		progress(m.Status)
	}
}

// contextReader reads r, but once ctx has ended it reports ctx's error
// instead of a failed read's. The client closes the answer's body when ctx
// ends, and "read on closed response body" would hide why.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && c.ctx.Err() != nil {
		err = c.ctx.Err()
	}
	return n, err
}
