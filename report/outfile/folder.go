package outfile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The files spotsim keeps in an output folder besides the outputs: all
// hidden, all named .spotsim-*.
const (
	// ManifestName is the manifest of the outputs spotsim wrote last.
	ManifestName = ".spotsim-manifest.json"
	// stagingPrefix starts the name of the folder a run writes into.
	stagingPrefix = ".spotsim-staging-"
	// manifestVersion is the manifest format's version.
	manifestVersion = 1
)

// Entry is one file of a manifest: its name in the output folder and what
// spotsim wrote there.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest is what an output folder's .spotsim-manifest.json records: the
// files of the last set spotsim wrote, the staging folder they came from,
// and the set they replaced (so that a move interrupted by a crash can be
// finished: see Replace).
type Manifest struct {
	Version  int     `json:"version"`
	Staging  string  `json:"staging"`
	Files    []Entry `json:"files"`
	Previous []Entry `json:"previous,omitempty"`
}

// step marks the points where a crash leaves a distinct state; tests stop
// Replace there as a crash would.
var step = func() {}

// ReadManifest returns the manifest of dir, or nil when there is none.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Version != manifestVersion {
		return nil, fmt.Errorf("%s: not a manifest spotsim can read; remove it to start afresh", filepath.Join(dir, ManifestName))
	}
	return &m, nil
}

// Replace makes files the set of outputs spotsim keeps in dir, as a unit:
// after it returns, and after a crash or a failure at any moment (once the
// next Replace or Recover on dir has run), dir holds exactly the previous
// set or exactly the new one. Outputs of the previous set that the new one
// lacks are removed, unless they were changed since spotsim wrote them;
// files spotsim did not write are never touched.
//
// How: the files are written into a fresh staging folder inside dir
// (.spotsim-staging-*) and synced, with the new manifest beside them. The
// commit point is the rename of that manifest over dir's
// .spotsim-manifest.json: before it, dir is untouched and a crash leaves a
// staging folder that the next run deletes; after it, the files are moved
// in, the previous set's leftovers removed and the staging folder deleted,
// and a crash in between is finished by the next run, which finds the
// manifest naming the staging folder that still exists.
func Replace(dir string, files []File) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, f := range files {
		if !validName(f.Name) || seen[f.Name] {
			return fmt.Errorf("outfile: bad or repeated output name %q", f.Name)
		}
		seen[f.Name] = true
	}
	unlock, err := lock(dir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := recoverDir(dir, seen); err != nil {
		return err
	}
	old, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	stage, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return fmt.Errorf("writing in %s: %w", dir, err)
	}
	m := &Manifest{Version: manifestVersion, Staging: filepath.Base(stage)}
	if old != nil {
		m.Previous = old.Files
	}
	commit := func() error {
		for _, f := range files {
			step()
			if err := writeSynced(filepath.Join(stage, f.Name), f.Data); err != nil {
				return fmt.Errorf("writing %s: %w", filepath.Join(dir, f.Name), err)
			}
			sum := sha256.Sum256(f.Data)
			m.Files = append(m.Files, Entry{Name: f.Name, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])})
		}
		data, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		staged := filepath.Join(stage, ManifestName)
		if err := writeSynced(staged, append(data, '\n')); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(dir, ManifestName), err)
		}
		syncDir(stage)
		step()
		if err := os.Rename(staged, filepath.Join(dir, ManifestName)); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(dir, ManifestName), err)
		}
		syncDir(dir)
		return nil
	}
	if err := commit(); err != nil {
		os.RemoveAll(stage)
		return err
	}
	if err := finish(dir, m); err != nil {
		return fmt.Errorf("%s: the new outputs are committed but not all moved in (%w); the next spotsim run on this folder finishes the move", dir, err)
	}
	return nil
}

// Recover brings dir back to one complete set after a crash: it finishes
// the move of a committed set and deletes staging folders that were never
// committed, and the temporary files an interrupted Write left beside the
// outputs of the manifest. Replace calls it first; a reader that wants to
// be sure of a folder spotsim may have been killed writing can call it too.
// Both hold dir's lock (flock on the folder) while they work: a second
// process writing into the same folder fails at once, saying so.
func Recover(dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	unlock, err := lock(dir)
	if err != nil {
		return err
	}
	defer unlock()
	return recoverDir(dir, nil)
}

// recoverDir is Recover, also removing the temporary files of Write left
// beside the names of extra (the outputs about to be written).
func recoverDir(dir string, extra map[string]bool) error {
	m, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	ours := map[string]bool{ManifestName: true}
	for name := range extra {
		ours[name] = true
	}
	if m != nil {
		for _, e := range append(m.Files, m.Previous...) {
			ours[e.Name] = true
		}
	}
	for _, e := range ents {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, stagingPrefix) && e.IsDir():
			if m != nil && name == m.Staging {
				if err := finish(dir, m); err != nil {
					return fmt.Errorf("%s: finishing the move of an interrupted run: %w", dir, err)
				}
				continue
			}
			if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
				return err
			}
		case isTemp(name, ours):
			os.Remove(filepath.Join(dir, name))
		}
	}
	return nil
}

// finish moves the staged files of the committed manifest m into dir,
// removes the previous set's files that the new set lacks (when they are as
// spotsim wrote them) and deletes the staging folder. Every step can be
// done again, so a crash during finish is finished by the next Recover.
func finish(dir string, m *Manifest) error {
	stage := filepath.Join(dir, m.Staging)
	keep := map[string]bool{}
	for _, e := range m.Files {
		keep[e.Name] = true
		step()
		err := os.Rename(filepath.Join(stage, e.Name), filepath.Join(dir, e.Name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // moved already
			return err
		}
	}
	for _, e := range m.Previous {
		if keep[e.Name] || !validName(e.Name) {
			continue
		}
		path := filepath.Join(dir, e.Name)
		if same, err := matches(path, e); err == nil && same {
			step()
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	syncDir(dir)
	step()
	return os.RemoveAll(stage)
}

// matches reports whether path is a regular file with e's size and hash.
func matches(path string, e Entry) (bool, error) {
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() != e.Size {
		return false, err
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == e.SHA256, nil
}

// isTemp reports whether name is a temporary file of Write (".NAME.tmp-*")
// for one of the names spotsim keeps.
func isTemp(name string, ours map[string]bool) bool {
	base, _, ok := strings.Cut(strings.TrimPrefix(name, "."), ".tmp-")
	return ok && strings.HasPrefix(name, ".") && ours[base]
}

// validName reports whether name is a plain file name: no folder, not
// hidden, not one of spotsim's own.
func validName(name string) bool {
	return name != "" && filepath.IsLocal(name) && !strings.ContainsAny(name, `/\`) && !strings.HasPrefix(name, ".")
}

// writeSynced creates path with data and syncs it to disk.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes renames in dir durable; best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
