namespace Parley.Nlu.Training;

/// <summary>The optimizer that fits a <see cref="SoftmaxHead"/>.</summary>
public enum OptimizerKind
{
    /// <summary>Adam on shuffled mini-batches, with bias-corrected moment estimates. One step per batch.</summary>
    Adam,

    /// <summary>Full-batch L-BFGS (two-loop recursion, Armijo backtracking line search). One "epoch" is one iteration.</summary>
    Lbfgs,
}
