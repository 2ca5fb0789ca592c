namespace Harness.Bench;

/// <summary>
/// FLOPs of one training pass (forward + backward ≈ 3 × forward) of the tiny GPT on a padded batch [B, T]:
/// the matrix products of every layer (qkv 3D², projection D², MLP 8D², each 2 FLOPs per multiply-add), the
/// vocabulary head (D·V), and attention's two T×T products per layer (4·T²·D per sequence, unmasked as computed).
/// </summary>
public static class TrainingFlops
{
    public static double Of(int layers, int width, int vocabulary, int batch, int length)
    {
        double d = width, t = length;
        var perToken = 2 * (12 * layers * d * d + d * vocabulary);
        var attention = layers * 4 * t * t * d;
        return 3 * batch * (t * perToken + attention);
    }
}
