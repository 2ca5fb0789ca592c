using System.Text.Json;
using Harness.Imports;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>Every run writes TensorBoard event files beside its metrics, read back record by record (every CRC checked) by the reader that imports OpenRLHF runs.</summary>
[Collection(TorchCollection.Name)]
public class TensorBoardTests
{
    [Fact]
    public void A_runs_event_file_holds_every_number_of_metrics_jsonl_as_a_scalar_with_valid_record_crcs()
    {
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        var result = HarnessRunner.Run(["run", Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json"), "--steps", "4", "--out", run]);
        Assert.True(result.ExitCode == 0, result.Error);

        var file = Assert.Single(Directory.GetFiles(run, "events.out.tfevents.*"));
        var scalars = TensorBoardEvents.Read([file]).ToDictionary(v => (v.Tag, v.Step), v => (float)v.Number!.Value);
        var expected = RunTests.Metrics(run).SelectMany(m => m.Where(kv => kv.Key != "step" && kv.Value.ValueKind == JsonValueKind.Number)
            .Select(kv => (Tag: kv.Key, Step: (long)m["step"].GetInt32(), Value: (float)kv.Value.GetDouble()))).ToArray();

        Assert.Contains(expected, e => e.Tag == "self_verify_rate");
        Assert.Equal(expected.Length, scalars.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, scalars[(e.Tag, e.Step)]));
    }
}
