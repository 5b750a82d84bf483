using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Core.Text;

namespace Parley.Bots.Packs;

/// <summary>
/// What a rule looks for in a text: phrases (matched as whole words, ignoring case and spacing) and regular expressions
/// (ignoring case). Texts are <see cref="Normalize">normalised</see> first, so typographic quotes, full-width letters and
/// invisible characters do not hide a phrase.
/// </summary>
public sealed partial class RulePatterns
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly Regex[] _all;
    private readonly string[][] _fuzzyPhrases;

    /// <summary>Creates the patterns.</summary>
    /// <param name="phrases">Literal phrases.</param>
    /// <param name="patterns">Regular expressions (compiled case-insensitive by the caller or here).</param>
    public RulePatterns(IReadOnlyList<string> phrases, IReadOnlyList<Regex> patterns)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        ArgumentNullException.ThrowIfNull(patterns);
        Phrases = phrases;
        Patterns = patterns;
        _all = [.. phrases.Select(PhraseRegex), .. patterns];
        _fuzzyPhrases = [.. phrases
            .Select(p => Normalize(p).ToLowerInvariant())
            .Where(p => p.All(c => !char.IsLetter(c) || c < '\u0250'))
            .Select(p => LatinWordRegex().Matches(p).Select(m => m.Value).ToArray())
            .Where(words => words.Length >= 2)];
    }

    /// <summary>No phrases and no patterns.</summary>
    public static RulePatterns None { get; } = new([], []);

    /// <summary>The literal phrases.</summary>
    public IReadOnlyList<string> Phrases { get; }

    /// <summary>The regular expressions.</summary>
    public IReadOnlyList<Regex> Patterns { get; }

    /// <summary>Whether there is nothing to look for.</summary>
    public bool IsEmpty => _all.Length == 0;

    /// <summary>
    /// The first phrase or pattern found in <paramref name="text"/>, or null. A phrase of several Latin-letter words also
    /// matches when some of its words are misspelt ("chest pian") — as the knowledge search forgives typos — as long as
    /// one of its words is written exactly, so a lone near-word ("does" for "dose") does not fire a rule.
    /// </summary>
    /// <param name="text">The text, normalised or not.</param>
    public Match? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = Normalize(text);
        foreach (var regex in _all)
        {
            var match = regex.Match(normalized);
            if (match.Success)
            {
                return match;
            }
        }

        return FindMisspelt(normalized);
    }

    /// <summary>The first multi-word phrase whose words appear in order with at most a typo each and one exact, as a match over those words.</summary>
    private Match? FindMisspelt(string normalized)
    {
        var words = LatinWordRegex().Matches(normalized);
        foreach (var phrase in _fuzzyPhrases)
        {
            for (var start = 0; start + phrase.Length <= words.Count; start++)
            {
                var exact = 0;
                var all = true;
                for (var k = 0; k < phrase.Length && all; k++)
                {
                    var word = words[start + k].Value.ToLowerInvariant();
                    var distance = SpellingVocabulary.Distance(word, phrase[k], SpellingVocabulary.MaxEdits(phrase[k].Length));
                    exact += distance == 0 ? 1 : 0;
                    all = distance <= SpellingVocabulary.MaxEdits(phrase[k].Length);
                }

                if (all && exact > 0 && exact < phrase.Length)
                {
                    var first = words[start];
                    var last = words[start + phrase.Length - 1];
                    return Regex.Match(normalized[first.Index..(last.Index + last.Length)], @"[\s\S]+");
                }
            }
        }

        return null;
    }

    /// <summary>A regular expression from a user pattern: case-insensitive, culture-invariant, with a time limit.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    /// <summary>
    /// The text rules are matched against: Unicode compatibility form (full-width letters become ASCII), typographic
    /// quotes and dashes made plain, invisible format characters (zero-width spaces, joiners) removed, and runs of
    /// white space made one space.
    /// </summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var form = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(form.Length);
        var space = false;
        foreach (var c in form)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(c switch
            {
                '\u2018' or '\u2019' or '\u02BC' or '\u0060' or '\u00B4' => '\'',
                '\u201C' or '\u201D' or '\u00AB' or '\u00BB' => '"',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' => '-',
                _ => c,
            });
        }

        return builder.ToString();
    }

    /// <summary>A phrase as a regular expression: its words in order, any spacing between them, whole words at Latin-letter ends.</summary>
    private static Regex PhraseRegex(string phrase)
    {
        var words = Normalize(phrase).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var body = string.Join(@"\s+", words.Select(Regex.Escape));
        var text = Normalize(phrase);
        var start = IsWordEdge(text[0]) ? @"(?<![\p{L}\p{N}])" : "";
        var end = IsWordEdge(text[^1]) ? @"(?![\p{L}\p{N}])" : "";
        return Compile(start + body + end);
    }

    /// <summary>Latin letters and digits need a word edge ("ill" is not in "will"); CJK characters do not (胸痛 is in 我胸痛).</summary>
    private static bool IsWordEdge(char c) => char.IsAsciiLetterOrDigit(c) || (char.IsLetter(c) && c < '\u0370');

    [GeneratedRegex(@"[A-Za-z\u00C0-\u024F]+(?:'[A-Za-z\u00C0-\u024F]+)?")]
    private static partial Regex LatinWordRegex();
}
