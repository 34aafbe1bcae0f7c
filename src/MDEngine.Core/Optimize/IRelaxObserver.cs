namespace MDEngine.Optimize;

/// <summary>Sees every accepted state of a relaxation (step 0 is the start), e.g. a trajectory writer or a log.</summary>
public interface IRelaxObserver
{
    void Observe(int step, IOptimizable target, Evaluation evaluation);
}

/// <summary>An observer from a delegate.</summary>
public sealed class RelaxObserver(Action<int, IOptimizable, Evaluation> action) : IRelaxObserver
{
    public void Observe(int step, IOptimizable target, Evaluation evaluation) => action(step, target, evaluation);
}
