namespace Harness.Grpo;

/// <summary>
/// Schulman's estimators of KL(π_θ ‖ π_ref) from one sample, with d = log π_ref − log π_θ:
/// k1 = −d, k2 = d²/2, k3 = e^d − d − 1 (unbiased and never negative; GRPO's choice).
/// </summary>
public enum KlEstimator { K1, K2, K3 }
