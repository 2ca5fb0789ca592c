using Harness.Training;
using TorchSharp;
using Harness.Tests.Golden.Fixtures;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.Engine;

/// <summary>The flat AdamW both trainers use: TorchSharp's AdamW step for step, and checkpoints of either one resume in it.</summary>
[Collection(TorchCollection.Name)]
public class FlatAdamWTests
{
    private static nn.Module Model(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(6, 5), nn.LayerNorm(5), nn.Linear(5, 3));
    }

    // The same loss on the same batch for both models. The batch is made by libtorch: a tensor over a managed array has the
    // array's alignment, and MKL's matrix products may sum in another order at another alignment.
    private static void Backward(nn.Module model, int step)
    {
        var x = arange(24, ScalarType.Float32).mul(0.7).add(step).sin().reshape(4, 6);
        using var scope = NewDisposeScope();
        (((nn.Module<Tensor, Tensor>)model).forward(x).pow(2).sum() * (step % 2 == 0 ? 1 : 40)).backward();
    }

    private static float[] Flat(nn.Module model) => [.. model.parameters().SelectMany(p => p.detach().data<float>().ToArray())];

    [Fact]
    public void Steps_match_torchsharps_adamw_with_clipping_and_weight_decay()
    {
        var (ours, theirs) = (Model(1), Model(1));
        using var flat = new FlatAdamW(ours.parameters(), 0.9, 0.95, 1e-8, 0.1);
        using var reference = optim.AdamW(theirs.parameters(), 0.01, 0.9, 0.95, 1e-8, 0.1);
        for (var step = 1; step <= 6; step++)
        {
            flat.ZeroGradients();
            Backward(ours, step);
            var norm = flat.ClipGradients(1.0);
            flat.Step(0.01);

            reference.zero_grad();
            Backward(theirs, step);
            var expectedNorm = nn.utils.clip_grad_norm_(theirs.parameters(), 1.0);
            reference.step();

            Assert.Equal(expectedNorm, norm, 4);
            Assert.All(Flat(ours).Zip(Flat(theirs)), p => Assert.Equal(p.Second, p.First, 5));
        }
        Assert.Equal(6, flat.Steps);
    }

    [Fact]
    public void Its_own_state_and_torchsharps_older_one_both_resume_the_same_run()
    {
        var (continued, resumedFlat, resumedLegacy) = (Model(2), Model(2), Model(2));
        using var original = new FlatAdamW(continued.parameters(), 0.9, 0.99, 1e-8, 0.0);
        var legacyModel = Model(2);
        using var legacy = optim.AdamW(legacyModel.parameters(), 0.01, 0.9, 0.99, 1e-8, 0.0);
        for (var step = 1; step <= 3; step++)
        {
            original.ZeroGradients();
            Backward(continued, step);
            original.Step(0.01);
            legacy.zero_grad();
            Backward(legacyModel, step);
            legacy.step();
        }
        var ours = new MemoryStream();
        using (var writer = new BinaryWriter(ours, System.Text.Encoding.UTF8, leaveOpen: true)) original.Save(writer);
        var older = new MemoryStream();
        using (var writer = new BinaryWriter(older, System.Text.Encoding.UTF8, leaveOpen: true)) legacy.save_state_dict(writer);

        foreach (var (model, state) in new[] { (resumedFlat, ours), (resumedLegacy, older) })
        {
            using (no_grad())
                foreach (var (target, source) in model.parameters().Zip(continued.parameters())) target.copy_(source);
            using var resumed = new FlatAdamW(model.parameters(), 0.9, 0.99, 1e-8, 0.0);
            state.Position = 0;
            resumed.Load(state);
            Assert.Equal(3, resumed.Steps);
            resumed.ZeroGradients();
            Backward(model, 4);
            resumed.Step(0.01);
        }
        original.ZeroGradients();
        Backward(continued, 4);
        original.Step(0.01);

        Assert.Equal(Flat(continued), Flat(resumedFlat));
        // The older state's moments came from TorchSharp's own steps on the same batches: equal to float rounding.
        Assert.All(Flat(continued).Zip(Flat(resumedLegacy)), p => Assert.Equal(p.First, p.Second, 5));
    }

    [Fact]
    public void A_state_of_another_model_is_refused_by_its_size()
    {
        using var small = new FlatAdamW(Model(1).parameters(), 0.9, 0.99, 1e-8, 0);
        var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true)) small.Save(writer);
        manual_seed(1);
        using var other = new FlatAdamW(nn.Linear(4, 2).parameters(), 0.9, 0.99, 1e-8, 0);
        state.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => other.Load(state));
        Assert.Contains("where this model's holds 32", e.Message);
    }
}
