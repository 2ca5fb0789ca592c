namespace Harness.Abstractions;

/// <summary>
/// A text policy that can learn its vocabulary from the pretraining corpus before it learns from it (contract 1.5):
/// a subword tokenizer trained on the documents, as a model built from scratch needs.
/// </summary>
public interface IVocabularyLearner : ITextPolicy
{
    /// <summary>Learns the vocabulary from <paramref name="documents"/>, before any training step.</summary>
    /// <param name="documents">Documents of the corpus pretraining will use.</param>
    /// <returns>A line saying what was learned (shown to the user), or null when the policy keeps the vocabulary it was given.</returns>
    string? LearnVocabulary(IReadOnlyList<string> documents);
}
