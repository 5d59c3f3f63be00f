package model

import "strings"

// KeyError is a validation problem tied to one scenario key. Path is the
// key's path as --set addresses it, [[pools]] and [[jobs]] elements by name
// ("jobs", "train", "deadline"), so package scenarios can place the problem
// at the key's line and column.
type KeyError struct {
	Path []string
	Msg  string
}

func (e *KeyError) Error() string { return strings.Join(e.Path, ".") + ": " + e.Msg }

func keyErr(msg string, path ...string) error { return &KeyError{Path: path, Msg: msg} }
