namespace Parley.Nlu.Training;

/// <summary>How training examples are weighted by their class.</summary>
public enum ClassWeighting
{
    /// <summary>Every example weighs 1.</summary>
    None,

    /// <summary>
    /// An example of class <c>c</c> weighs <c>N / (K · n_c)</c> (N examples, K classes, n_c of class c), so every class
    /// contributes equally to the loss; the weights still sum to N.
    /// </summary>
    Balanced,
}
