using Parley.Nlu.Intents;

namespace Parley.Bots.Handoff;

/// <summary>How <see cref="HandoffChatClient"/> hands conversations to people.</summary>
public sealed class HandoffOptions
{
    /// <summary>The bot's name, sent with the transcript. Default empty.</summary>
    public string BotName { get; set; } = "";

    /// <summary>The classifier that recognises the pack's handoff intent; null when the pack names none.</summary>
    public IIntentClassifier? Classifier { get; set; }

    /// <summary>The HTTP client that posts transcripts; null for one shared by all bots.</summary>
    public HttpClient? Http { get; set; }

    /// <summary>The clock for event timestamps, waits between attempts and the webhook deadline. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
