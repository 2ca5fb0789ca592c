// Compiled into every harness plugin (by Harness.Abstractions.props): the constant is baked in at build time,
// so the assembly records the contract version it was built against and the host can check it unloaded.
[assembly: Harness.Abstractions.HarnessContract(Harness.Abstractions.ContractVersion.Current)]
