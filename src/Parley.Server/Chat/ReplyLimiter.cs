using System.Text;
using Parley.Core.History;

namespace Parley.Server.Chat;

/// <summary>Lets a reply through piece by piece until it reaches <c>max_tokens</c>, then cuts it.</summary>
internal sealed class ReplyLimiter(ChatTokenCounter counter, int? maxTokens)
{
    private readonly StringBuilder _text = new();

    /// <summary>Whether the reply was cut.</summary>
    public bool Cut { get; private set; }

    /// <summary>The reply so far.</summary>
    public string Text => _text.ToString();

    /// <summary>Adds <paramref name="piece"/>; returns the part of it within the limit.</summary>
    public string Append(string piece)
    {
        if (Cut || piece.Length == 0)
        {
            return string.Empty;
        }

        if (maxTokens is not { } max)
        {
            _text.Append(piece);
            return piece;
        }

        var sent = _text.Length;
        var candidate = _text.Append(piece).ToString();
        if (counter.CountTokens(candidate) <= max)
        {
            return piece;
        }

        Cut = true;
        var keep = counter.Tokenizer.GetIndexByTokenCount(candidate, max, out _, out _);
        if (keep <= sent)
        {
            _text.Length = sent;
            return string.Empty;
        }

        _text.Length = keep;
        return candidate[sent..keep];
    }
}
