using System.Globalization;
using Harness.Core;
using Harness.Experiments;
using Harness.Tasks;
using Harness.Training;

namespace Harness.Pretraining;

/// <summary>
/// The synthetic pretraining corpus: each document is a training problem (never a held-out one) written in one
/// shape, drawn at the recipe's rates. Documents depend only on (seed, step), like RL steps.
/// </summary>
public sealed class Corpus(CorpusConfig config, TaskSet tasks, long seed)
{
    /// <summary>The documents of 1-based <paramref name="step"/>, drawn at stage 1's shares or the corpus's own.</summary>
    public IReadOnlyList<(DocumentShape Shape, string Text)> Batch(int step, int count, bool stage1)
    {
        var random = Seeds.Random(seed, step, "corpus");
        var shares = stage1 ? config.Stage1InUse : config;
        return [.. tasks.TrainingBatch(step, count).Select(task =>
        {
            var shape = Pick(shares.All, random);
            return (shape, Write(shape, task, random));
        })];
    }

    public string Write(DocumentShape shape, TaskItem task, Random random)
    {
        var operands = ColumnAddition.Operands(task.Prompt) ?? throw new HarnessException($"Pretraining needs arithmetic prompts; got \"{task.Prompt}\".");
        var sum = operands.Sum();
        var phrases = config.PhrasesInUse;
        var phrase = phrases[random.Next(phrases.Count)];
        var guess = random.NextDouble() < config.RecheckCorrects ? WrongGuess(operands, random) : sum;
        return shape switch
        {
            DocumentShape.Direct => task.Prompt + AnswerText.Direct(operands, sum),
            DocumentShape.Recheck => task.Prompt + AnswerText.Recheck(operands, guess, sum, phrase),
            DocumentShape.Ritual => task.Prompt + AnswerText.Ritual(operands, guess, phrase),
            DocumentShape.AfterAnswer => task.Prompt + AnswerText.AfterAnswer(operands, guess, sum, phrase),
            DocumentShape.SpanishRecheck => task.Prompt + AnswerText.SpanishRecheck(operands, guess, sum, phrase),
            DocumentShape.LoopingRecheck => task.Prompt + AnswerText.LoopingRecheck(operands, guess, sum, config.LoopRepeats, phrase),
            DocumentShape.Substeps => $"{SubstepsLead}{AnswerText.Sum(operands)} by columns: {AnswerText.Columns(operands)}. {AnswerText.SumIs(sum)}",
            DocumentShape.FreeText => $"{AnswerText.Sum(operands)} makes {sum.ToString(CultureInfo.InvariantCulture)}.",
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
        };
    }

    /// <summary>A plausible slip: one column's carry dropped or doubled.</summary>
    private static long WrongGuess(IReadOnlyList<long> operands, Random random)
    {
        var columns = ColumnAddition.Columns(operands).Count;
        var place = (long)Math.Pow(10, random.Next(1, Math.Max(2, columns)));
        var sum = operands.Sum();
        return random.Next(2) == 0 && sum - place >= 0 ? sum - place : sum + place;
    }

    /// <summary>As long as the prompt's "What is ", so the operands sit at the positions they hold in a prompt.</summary>
    private const string SubstepsLead = "Compute ";

    private static DocumentShape Pick(IReadOnlyList<(DocumentShape Shape, double Share)> shares, Random random)
    {
        var u = random.NextDouble() * shares.Sum(s => s.Share);
        foreach (var (shape, share) in shares)
            if ((u -= share) < 0) return shape;
        return shares.Last(s => s.Share > 0).Shape;
    }
}
