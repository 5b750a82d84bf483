using Parley.Bots.Knowledge;
using Parley.Core.Text;

namespace Parley.Bots.Intents;

/// <summary>
/// The Chinese text a bot has (its intent examples and its knowledge), to find the words of a message it never uses:
/// 天气 in 今天天气怎么样 for a shop. Character n-grams cannot see them: 今天 is as rare among a shop's examples as 天气
/// is absent, so "今天下单什么时候发货" looks as close to the weather as to an order.
/// </summary>
/// <remarks>
/// The message is cut into words by SmartCn (as the knowledge search cuts it). A word is unknown when it has two or
/// more Han characters, is not a question or function word (<see cref="LexicalKnowledgeSearch.StopWords"/>), and
/// occurs nowhere in the texts — as a substring, so that a different cut of the texts (分期 付款 against 分期付款) does
/// not matter.
/// </remarks>
public sealed class ChineseVocabulary
{
    private readonly string _text;

    private ChineseVocabulary(string text) => _text = text;

    /// <summary>Collects the texts.</summary>
    /// <param name="texts">The texts (examples, passages).</param>
    public static ChineseVocabulary Create(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new ChineseVocabulary(string.Join('\n', texts).ToLowerInvariant());
    }

    /// <summary>The words of <paramref name="message"/> that the texts never use, in the message's order (see the remarks).</summary>
    /// <param name="message">The message.</param>
    public IReadOnlyList<string> UnknownWords(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var unknown = new List<string>();
        foreach (var word in ChineseSegmenter.Words(message))
        {
            if (word.Length >= 2 && word.All(c => HanScript.IsHan(c)) && !LexicalKnowledgeSearch.StopWords.Contains(word)
                && !_text.Contains(word, StringComparison.Ordinal) && !unknown.Contains(word))
            {
                unknown.Add(word);
            }
        }

        return unknown;
    }
}
