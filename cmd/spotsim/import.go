package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/report/outfile"
	"github.com/spotsim/spotsim/scenarios"
	"github.com/spotsim/spotsim/scenarios/importer"
)

func init() {
	register(&command{
		name:  "import",
		usage: "batch-pool POOL.json | aml COMPUTE.yml [DEPLOYMENT.yml]  [--prices FILE...] [--region R] [--os linux|windows] [--spot FILE] [--tasks FILE [--job ID]] [--evictions FILE] [--account FILE] [--out FILE]",
		short: "write a scenario from your Azure pool, prices, eviction and task history",
		long: `spotsim import batch-pool POOL.json reads an Azure Batch pool: the JSON of az batch pool
show, or an ARM/Bicep Microsoft.Batch/batchAccounts/pools resource (or a template holding
one). spotsim import aml COMPUTE.yml [DEPLOYMENT.yml] reads an Azure ML amlCompute YAML and a
batch deployment YAML (the current form, or the older one with the settings at the root).

It writes a complete scenario in TOML to standard output, or atomically to --out FILE, with
every imported value commented with the file and the item it came from (the JSON path, the
Retail Prices meterId and effectiveStartDate, the region). Values no file gives are marked
ASSUMED, and listed on standard error.

  --prices FILE...  Retail Prices API pages (the files up to the next flag, or repeat the
                    flag): the size's Consumption rows in --region, the pay-as-you-go and the
                    Spot price, for --os or the pool's OS (its node agent SKU; else Linux).
                    Several meters, or no Spot row, stop the import with the candidates;
                    --meter ID (repeatable) picks one.
  --spot FILE       az graph query output over SpotResources: the price history becomes a
                    price trace (a CSV beside --out), the eviction-rate band the lifetime
                    (azure_eviction_rate, per hour).
  --tasks FILE      az batch task list JSON or Batch diagnostic log lines (TaskCompleteEvent):
                    the job's task count, a duration distribution fitted by maximum
                    likelihood, the failure probability (the share of failed tries), retries.
                    A history of several jobs needs --job ID.
  --evictions FILE  an activity log (az monitor activity-log list, preempt/start rows) or a CSV
                    with a lifetime column and an optional censored column: a lifetime model
                    fitted with censoring (it takes precedence over --spot's band).
  --account FILE    az batch account show JSON: the core quotas ([quotas]; per VM family
                    when the account enforces them so).
  --cores N         the size's vCPUs, when its name does not tell them.
  --inputs N, --time-per-input DIST   an Azure ML job's files and time per file.

Bad input exits 2 with one line naming the file and the JSON path or line; nothing is
written then. See docs/import.md.`,
		run: importCmd,
	})
}

func importCmd(e *env, args []string) error {
	c := find("import")
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		printHelp(e.stdout, c, nil)
		if len(args) == 0 {
			return badInput(errors.New("spotsim import: want batch-pool POOL.json or aml COMPUTE.yml [DEPLOYMENT.yml] (see spotsim import --help)"))
		}
		return flag.ErrHelp
	}
	verb := args[0]
	if verb != "batch-pool" && verb != "aml" {
		return badInput(fmt.Errorf("spotsim import: unknown input %q: want batch-pool or aml (see spotsim import --help)", verb))
	}
	fs := flag.NewFlagSet("import "+verb, flag.ContinueOnError)
	var prices, meters multiFlag
	fs.Var(&prices, "prices", "a Retail Prices API page, JSON (repeatable)")
	fs.Var(&meters, "meter", "a Retail Prices `meterId` that settles an ambiguous price (repeatable)")
	region := fs.String("region", "", "the Azure `region` (armRegionName, such as eastus) of the prices and Spot data")
	osName := fs.String("os", "", "the nodes' OS for prices: linux or windows (default: the pool's node agent SKU, else linux)")
	spot := fs.String("spot", "", "Resource Graph SpotResources query output, JSON")
	tasks := fs.String("tasks", "", "az batch task list JSON or Batch diagnostic log lines")
	job := fs.String("job", "", "with --tasks: the job whose tasks to read, when the history holds several")
	evictions := fs.String("evictions", "", "an activity log (JSON) or a CSV of node lifetimes")
	account := fs.String("account", "", "batch-pool: az batch account show JSON, for the core quotas")
	cores := fs.Int("cores", 0, "the VM size's vCPUs, when its name does not tell them")
	inputs := fs.Int("inputs", 0, "aml: files the job scores")
	perInput := fs.String("time-per-input", "", "aml: time to score one file, a duration or an inline distribution")
	out := fs.String("out", "", "write the scenario to this `FILE` (atomically) instead of standard output")
	pos, err := parse(e, c, fs, expandPrices(args[1:]))
	if err != nil {
		return err
	}
	hint := ""
	if len(prices) > 1 {
		hint = " (--prices takes every file after it up to the next flag: name the pool first)"
	}
	switch {
	case verb == "batch-pool" && len(pos) != 1:
		return badInput(fmt.Errorf("spotsim import batch-pool POOL.json: name one pool file, got %d%s", len(pos), hint))
	case verb == "aml" && (len(pos) < 1 || len(pos) > 2):
		return badInput(fmt.Errorf("spotsim import aml COMPUTE.yml [DEPLOYMENT.yml]: got %d files%s", len(pos), hint))
	case *osName != "" && *osName != "linux" && *osName != "windows":
		return badInput(fmt.Errorf("--os %s: want linux or windows", *osName))
	case *cores < 0 || *cores > 4096:
		return badInput(fmt.Errorf("--cores %d: want a number of vCPUs between 1 and 4096", *cores))
	case *inputs < 0:
		return badInput(fmt.Errorf("--inputs %d: want a number of files >= 1", *inputs))
	case verb != "aml" && (*inputs != 0 || *perInput != ""):
		return badInput(errors.New("--inputs and --time-per-input are for spotsim import aml"))
	case *job != "" && *tasks == "":
		return badInput(errors.New("--job picks the job of --tasks: give --tasks FILE"))
	case verb == "aml" && *account != "":
		return badInput(errors.New("--account is a Batch account's quotas, for spotsim import batch-pool (an Azure ML workspace's quotas are not read)"))
	}
	var src importer.Sources
	if verb == "batch-pool" {
		src.Pool, err = importer.ReadPool(pos[0])
	} else {
		src.Compute, err = importer.ReadAMLCompute(pos[0])
		if err == nil && len(pos) == 2 {
			src.Deployment, err = importer.ReadAMLDeployment(pos[1])
		}
	}
	if err != nil {
		return badInput(err)
	}
	if *account != "" {
		if src.Account, err = importer.ReadAccount(*account, src.Pool.VMSize); err != nil {
			return badInput(err)
		}
	}
	if len(prices) > 0 {
		if src.Prices, err = importer.ReadPrices(prices...); err != nil {
			return badInput(err)
		}
	}
	if *spot != "" {
		if src.Spot, err = importer.ReadSpot(*spot); err != nil {
			return badInput(err)
		}
	}
	if *tasks != "" {
		if src.Tasks, err = importer.ReadJobTasks(*tasks, *job); err != nil {
			return badInput(err)
		}
	}
	if *evictions != "" {
		if src.Lifetimes, err = importer.ReadEvictions(*evictions); err != nil {
			return badInput(err)
		}
	}
	if *perInput != "" {
		if *perInput, err = checkDist(*perInput); err != nil {
			return badInput(fmt.Errorf("--time-per-input %s: %v", *perInput, err))
		}
	}
	res, err := importer.Build(src, importer.Options{
		Region: *region, OS: *osName, Cores: *cores, Meters: meters,
		Inputs: *inputs, TimePerInput: *perInput, Out: *out,
		Command: "spotsim import " + strings.Join(args, " "),
	})
	if err != nil {
		return badInput(err)
	}
	if err := validateImport(res, *out); err != nil {
		return err
	}
	for _, a := range res.Assumed {
		fmt.Fprintf(e.stderr, "spotsim import: ASSUMED %s\n", a)
	}
	if *out == "" {
		_, err := e.stdout.Write(res.TOML)
		return err
	}
	dir := filepath.Dir(*out)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("--out %s: folder %s does not exist", *out, dir)
	}
	for _, f := range res.Files { // data files first: the scenario names them
		if err := outfile.Write(filepath.Join(dir, f.Name), f.Data); err != nil {
			return err
		}
	}
	return outfile.Write(*out, res.TOML)
}

// checkDist accepts a duration ("20s") or an inline distribution table and
// returns it as TOML.
func checkDist(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") {
		return s, nil // checked with the rest of the scenario
	}
	if _, err := dist.ParseDuration(s); err != nil {
		return "", err
	}
	return fmt.Sprintf("%q", s), nil
}

// validateImport loads the scenario as spotsim run will, its data files
// beside it in a scratch folder, before anything is written.
func validateImport(res *importer.Result, out string) error {
	dir, err := os.MkdirTemp("", "spotsim-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	name := out
	if name == "" {
		name = "imported.toml"
	}
	doc, err := scenarios.ParseDoc(filepath.Base(name), string(res.TOML), dir)
	if err == nil {
		_, err = doc.Scenario()
	}
	if err != nil {
		return badInput(fmt.Errorf("the imported scenario does not validate: %v", strings.ReplaceAll(err.Error(), "\n", "; ")))
	}
	return nil
}

// expandPrices lets --prices take several files, as a shell glob gives
// them (--prices page-*.json): the words after it up to the next flag
// are each a --prices.
func expandPrices(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		out = append(out, args[i])
		if args[i] != "--prices" && args[i] != "-prices" {
			continue
		}
		if i+1 < len(args) {
			out = append(out, args[i+1])
			i++
		}
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			out = append(out, "--prices", args[i+1])
			i++
		}
	}
	return out
}
