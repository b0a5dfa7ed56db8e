import ValueTree
import ExperimentDesign
import FileIO
import Numerics

/// The commented starter scenario `scaleplan init` writes: a realistic question that
/// validates and evaluates as written, with every key explained.
public enum StarterScenario {
    /// The file's text, with `name` as the scenario name (quoted for YAML).
    public static func text(name: String) -> String {
        """
        # A scaleplan scenario (contract v1; docs/SCENARIOS.md lists every key).
        # For editor validation, write the schema next to this file and uncomment the line below:
        #   scaleplan schema -o scenario.schema.json
        # yaml-language-server: $schema=scenario.schema.json
        #
        # The question: which model size N and training tokens D give loss 2.1 or better at the
        # lowest lifetime cost (training plus 18 months of serving), and what does lower loss cost?
        scenario: \(ReportValue.quoted(name))

        # The loss law L(N, D). A published preset (`scaleplan law presets` lists them), a law
        # file written by `scaleplan fit -o law.yaml` ({file: law.yaml}), runs to fit
        # ({fit: runs.csv}), or explicit parameters ({form: chinchilla, E:, A:, B:, alpha:, beta:}).
        law: { preset: hoffmann2022 }

        training:
          hardware: h100-sxm        # `scaleplan hardware list` shows the profiles
          mfu: 0.4                  # model FLOP utilisation (fraction of the bf16 peak)
          devices: 1024             # devices training in parallel; sets the wall-clock days
          # unique_tokens: 5T       # unique data available; more tokens repeat it (data-constrained law)

        inference:
          hardware: [h100-sxm, l40s]   # serving options; the fleet may mix them
          precision: [bf16, fp8]
          demand:
            requests_per_day: 10M
            growth_per_month: 0.03     # 3% compound growth a month
            horizon_months: 18
            prompt_tokens: 600
            output_tokens: 250
            peak_to_mean: 2            # the fleet is sized for each month's peak
          slo: { ttft_ms: 1000, tpot_ms: 50 }   # latency targets every replica must meet
          # carbon_intensity: 400      # gCO2/kWh: adds emissions
          # prefix_cache_hit_rate: 0.5 # share of prompt tokens already cached (shared prompts, chats)
          # shared_prefix_tokens: 200  # a system prompt every request shares: its KV cache held once

        # One or two of: loss, cost, compute, energy, latency, train_time. The first is minimised;
        # a frontier trades the two off.
        objectives: [cost, loss]

        constraints:
          loss_max: 2.1               # nats per token
          # cost_max: 20M             # USD over the lifetime
          # train_days_max: 60

        # The box the planner searches: model sizes and tokens per parameter.
        search: { params: [500M, 200B], tokens_per_param: [5, 2000] }

        frontier: { points: 12 }

        """
    }
}
