/// The hardware profiles compiled into the binary (hardware-profiles/*.yaml, embedded as
/// package resources): file name and UTF-8 bytes. ProfileCatalogTests checks that this list
/// names every profile in the folder.
enum BuiltInProfiles {
    /// The bytes of the built-in profile file `name` ("h100-sxm.yaml"); nil for a name that
    /// is not built in.
    static func bytes(_ name: String) -> [UInt8]? { files.first { $0.name == name }?.bytes }

    static let files: [(name: String, bytes: [UInt8])] = [
        ("a100-40gb.yaml", PackageResources.a100_40gb_yaml),
        ("a100-80gb.yaml", PackageResources.a100_80gb_yaml),
        ("apple-m3-max.yaml", PackageResources.apple_m3_max_yaml),
        ("b200.yaml", PackageResources.b200_yaml),
        ("h100-pcie.yaml", PackageResources.h100_pcie_yaml),
        ("h100-sxm.yaml", PackageResources.h100_sxm_yaml),
        ("h200.yaml", PackageResources.h200_yaml),
        ("jetson-agx-orin-64gb.yaml", PackageResources.jetson_agx_orin_64gb_yaml),
        ("l4.yaml", PackageResources.l4_yaml),
        ("l40s.yaml", PackageResources.l40s_yaml),
        ("mi300x.yaml", PackageResources.mi300x_yaml),
        ("tpu-v5e.yaml", PackageResources.tpu_v5e_yaml),
        ("tpu-v5p.yaml", PackageResources.tpu_v5p_yaml),
    ]
}
