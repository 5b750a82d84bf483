namespace Parley.Nlu.FineTuning;

/// <summary>What a fine-tuning file holds, told from its content by <see cref="FineTuningDataReader"/>.</summary>
public enum FineTuningDataKind
{
    /// <summary>Intent-labelled utterances, one <c>{"text": …, "intent"|"label": …}</c> object per line: trains an intent model that answers with the intent name.</summary>
    Intents,

    /// <summary>OpenAI chat-format conversations, one <c>{"messages": [...]}</c> object per line: trains a response-selection model.</summary>
    Chat,
}
