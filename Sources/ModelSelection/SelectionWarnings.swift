import Diagnostics
import Foundation

/// The warnings of a selection: where its answer rests on thin ground.
enum SelectionWarnings {
    static func make(fits: [CandidateFit], results: [CandidateResult], trends: [TrendTest?], form: SelectionLawForm,
                     formChosen: Bool, failures: Int, samples: Int, partial: [PartialRunCheck],
                     options: SelectionOptions) -> [Warning] {
        var out: [Warning] = []
        for (c, r) in results.enumerated() {
            let subject = "candidate \(r.name)"
            switch r.verdict {
            case .none:
                let t = trends[c]!
                out.append(Warning(.noScalingTrend, String(format: "no scaling trend in this range: leaving each size out, the law's mean squared log error %.3g does not beat the flat baseline's %.3g and the log-linear baseline's %.3g; %@", t.lawError, t.flatError, t.logLinearError, options.includeNoTrend ? "ranked anyway (--include-no-trend)" : "not ranked (--include-no-trend ranks it)"), subject: subject))
            case .untested:
                out.append(Warning(.trendUntested, "its \(r.sizes) sizes are too few to leave one out and still fit the \(form.rawValue) law, so whether it shows a scaling trend is untested; it is ranked on its fit alone", subject: subject))
            case .law: break
            }
            let f = fits[c]
            if !f.flagged.isEmpty {
                let one = f.flagged.count == 1
                out.append(Warning(.flaggedRuns, "\(f.flagged.count) run\(one ? " lies" : "s lie") beyond \(NumberText.short(options.flagSigma)) noise standard deviations of the law (a likely training problem: learning rate, warmup, batch) and \(one ? "was" : "were") left out of the refit", subject: subject))
            }
            if f.misfitCount > 0 {
                out.append(Warning(.lawMisfit, "\(f.misfitCount) of \(f.runs.count) runs lie beyond \(NumberText.short(options.flagSigma)) noise standard deviations of the law, more than a few failed runs explain: the \(form.rawValue) law fits this candidate badly, and no run was left out", subject: subject))
            }
            let largest = f.runs.map { form.scaleIsTokens ? ($0.tokens ?? 1) : $0.params }.max() ?? 1
            if let t = form.scaleIsTokens ? r.targetTokens : r.targetParams, t > 100 * largest {
                out.append(Warning(.farExtrapolation, "the target (\(NumberText.short(t))) is \(NumberText.short(t / largest)) times its largest run; predictions this far out rest on the law's form more than on the runs", subject: subject))
            }
        }
        let ranked = results.filter(\.ranked)
        if let leader = ranked.first(where: { $0.status == .leader }) {
            let undecided = ranked.filter { $0.status == .undecided }.map(\.name)
            if !undecided.isEmpty {
                out.append(Warning(.selectionUndecided, "undecided at this budget: the \(NumberText.short(100 * options.confidence))% interval of \(leader.name) overlaps that of \(undecided.joined(separator: ", ")); see next_runs for the runs that would separate them", subject: "selection"))
            }
        }
        if ranked.isEmpty {
            out.append(Warning(.noScalingTrend, "no candidate shows a scaling trend, so none is ranked", subject: "selection"))
        }
        if failures > 0 {
            out.append(Warning(.weakFit, "\(failures) of \(samples) bootstrap refits did not converge and are left out of the intervals", subject: "bootstrap"))
        }
        for p in partial where p.status == .behind {
            out.append(Warning(.partialRunBehind, String(format: "the run in training at %@ params and %@ tokens is %.1f%% behind its law (z = %.2f; a healthy run does this badly with probability %.2g); a checkpoint before the learning rate decays runs somewhat above a finished run", NumberText.short(p.run.params), NumberText.short(p.run.tokens ?? 0), 100 * p.behindBy, p.z, p.probability), subject: "candidate \(p.run.candidate)"))
        }
        return out
    }
}
