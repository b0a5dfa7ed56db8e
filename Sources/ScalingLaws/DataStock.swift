/// How much unique text there is to train on, for warnings when a plan gives no
/// `unique_tokens` of its own.
public enum DataStock {
    /// The default stock: the 15T tokens of FineWeb (Penedo et al. 2024, The FineWeb Datasets,
    /// arXiv:2406.17557), the largest openly released deduplicated web-text corpus.
    public static let defaultTokens = 15e12
    public static let defaultSource = "FineWeb's 15T tokens (Penedo et al. 2024, arXiv:2406.17557)"
    /// The whole stock of public human-written text as Villalobos et al. 2024 estimate it
    /// (Will we run out of data?, arXiv:2211.04325): about 300T tokens.
    public static let publicTextTokens = 300e12
    public static let publicTextSource = "Villalobos et al. 2024 (arXiv:2211.04325) estimate the public human text stock at about 300T tokens"

    /// Muennighoff et al. 2023's fitted repetition constants (arXiv:2305.16264, Appendix A):
    /// R*_D = 15.387756 and R*_N = 5.309743, used to give a Chinchilla-form law the
    /// data-constrained form when a plan limits unique tokens.
    public static let repetitionRStarD = 15.387756
    public static let repetitionRStarN = 5.309743
}

extension ScalingLaw {
    /// This law in the data-constrained form of Muennighoff et al. 2023 (their fitted R*_D and
    /// R*_N, `DataStock`), so that repeated tokens are worth less when unique tokens are
    /// limited: the law itself for the data-constrained family, nil for Kaplan's law (which has
    /// no Chinchilla form).
    public var dataConstrained: ScalingLaw? {
        let base: ChinchillaLaw
        switch self {
        case .dataConstrained: return self
        case .kaplan: return nil
        case .chinchilla(let l): base = l
        case .overtrain(let l): base = l.chinchilla
        }
        return .dataConstrained(try! DataConstrainedLaw(base: base, rStarD: DataStock.repetitionRStarD, rStarN: DataStock.repetitionRStarN))
    }
}
