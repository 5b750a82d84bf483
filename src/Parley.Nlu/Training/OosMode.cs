namespace Parley.Nlu.Training;

/// <summary>How a model decides that an utterance is out of scope (<c>oos</c>).</summary>
public enum OosMode
{
    /// <summary>Never: there was no validation data to calibrate on.</summary>
    None,

    /// <summary>The head knows only in-scope intents; a best probability below the threshold means out of scope.</summary>
    Threshold,

    /// <summary>The head has an explicit <c>oos</c> class; out of scope when it is the most probable class.</summary>
    OosClass,

    /// <summary>An explicit <c>oos</c> class, and also a best in-scope probability below the threshold.</summary>
    OosClassAndThreshold,
}
