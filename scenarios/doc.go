// Package scenarios turns TOML scenario files into validated model.Scenario
// values, with errors that name the file, line, column and key; it also holds
// the built-in scenarios (embedded) and applies --set overrides to a
// document by key path, with pools and jobs addressed by name.
//
// Loading is three steps: BurntSushi/toml parses the text into a generic
// tree (syntax errors carry its positions); overrides edit that tree; a
// path-tracking decoder builds the model and reports every problem with the
// position that locate finds for its key path.
package scenarios
