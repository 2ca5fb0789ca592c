// Compiled into every plugin under plugins/: the constant is baked in at build time, so the assembly
// records the contract version it was built against.
[assembly: Harness.Abstractions.HarnessContract(Harness.Abstractions.ContractVersion.Current)]
