using MDEngine.ML.E3nn;
using MDEngine.ML.IO;
using MDEngine.ML.Mace;

namespace MDEngine.ML.Training;

/// <summary>
/// The model a run trains: a loaded model to fine-tune (its weights, optionally with new E0s and a frozen part), or a
/// new MACE from the hyperparameters with mace-torch's initialisation (normal weights; symmetric-contraction weights
/// divided by their path count; the architecture constants computed, or taken from constants_from), the E0s,
/// avg_num_neighbors and the scale computed from the training set
/// (ScaleShiftMACE with shift 0 and scale = RMS force, mace-torch's rms_forces_scaling).
/// </summary>
public static class TrainingModelFactory
{
    public static TrainableMace Create(TrainingOptions o, IReadOnlyList<TrainingConfiguration> train, IReadOnlyList<TrainingConfiguration> valid)
    {
        var options = new TensorOptions(o.ScalarType, TorchSharp.torch.CPU);
        var (config, weights) = o.FoundationModel is { } path ? Load(path) : NewModel(o, train, valid);
        var covered = config.AtomicNumbers.ToHashSet();
        foreach (var c in train.Concat(valid))
            if (c.Structure.Numbers.FirstOrDefault(z => !covered.Contains(z)) is int z and > 0)
                throw new TrainingException($"the data hold element Z = {z}, which the model does not cover ({string.Join(", ", config.AtomicNumbers)})");
        if (o.FoundationModel is not null && o.E0s != "foundation")
            config = WithE0s(config, E0s(o, train, config.AtomicNumbers));
        return new TrainableMace(config, weights, options, Frozen(o.Freeze));
    }

    private static (MaceConfig, Dictionary<string, SafeTensor>) Load(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"{path}: model file not found");
        try
        {
            if (MaceModelFile.IsTorchArchive(path)) return MaceModelFile.Read(path);
            var config = MaceConfig.Load(path);
            return (config, SafeTensors.Read(Path.ChangeExtension(path, ".safetensors")));
        }
        catch (Exception e) when (e is MaceModelException or InvalidDataException or IOException)
        {
            throw new TrainingException($"{path}: {e.Message}");
        }
    }

    private static (MaceConfig, Dictionary<string, SafeTensor>) NewModel(TrainingOptions o, IReadOnlyList<TrainingConfiguration> train, IReadOnlyList<TrainingConfiguration> valid)
    {
        Dictionary<string, SafeTensor>? constants = null;
        if (o.ConstantsFrom is not null)
        {
            var (template, stored) = Load(o.ConstantsFrom);
            if (template.MaxEll != o.MaxEll || template.Correlation.Any(c => c != o.Correlation))
                throw new TrainingException($"constants_from {o.ConstantsFrom}: max_ell {template.MaxEll}, correlation {template.Correlation[0]}; the new model needs max_ell {o.MaxEll}, correlation {o.Correlation}");
            constants = stored;
        }
        var elements = train.Concat(valid).SelectMany(c => c.Structure.Numbers).Distinct().Order().ToArray();
        var neighbors = new NeighborCache(o.RMax);
        var index = elements.Select((z, i) => (z, i)).ToDictionary(t => t.z, t => t.i);
        var config = new MaceConfig
        {
            ModelType = "ScaleShiftMACE",
            InteractionClsFirst = o.InteractionFirst ?? MaceConfig.PlainInteraction,
            InteractionCls = o.Interaction,
            RMax = o.RMax,
            NumBessel = o.NumRadialBasis,
            NumPolynomialCutoff = o.NumCutoffBasis,
            MaxEll = o.MaxEll,
            NumInteractions = o.NumInteractions,
            HiddenIrreps = o.ResolvedHiddenIrreps,
            MlpIrreps = o.MlpIrreps,
            AtomicNumbers = elements,
            AtomicEnergies = E0s(o, train, elements),
            AvgNumNeighbors = o.AvgNumNeighbors ?? DatasetStatistics.AverageNeighbors(train, neighbors, index),
            Correlation = Enumerable.Repeat(o.Correlation, o.NumInteractions).ToArray(),
            RadialMlp = o.RadialMlp,
            Scale = [DatasetStatistics.RmsForces(train)],
            Shift = [0.0],
        };
        try { return (config, constants is null ? RandomMaceWeights.Create(config, o.Seed) : RandomMaceWeights.Create(config, constants, o.Seed)); }
        catch (MaceModelException e) { throw new TrainingException(o.ConstantsFrom is null ? e.Message : $"constants_from {o.ConstantsFrom}: {e.Message}"); }
    }

    private static double[] E0s(TrainingOptions o, IReadOnlyList<TrainingConfiguration> train, IReadOnlyList<int> elements)
    {
        if (o.E0sGiven is { } given)
            return elements.Select(z => given.TryGetValue(z, out double e) ? e : throw new TrainingException($"E0s: no value for Z = {z}")).ToArray();
        if (o.E0s != "average") throw new TrainingException($"E0s '{o.E0s}' (use average, foundation, or a map from atomic number to energy)");
        return DatasetStatistics.AverageE0s(train, elements);
    }

    /// <summary>The same hyperparameters with new E0s (through the model JSON, which carries all of them).</summary>
    private static MaceConfig WithE0s(MaceConfig c, double[] e0s)
    {
        if (c.Heads.Length != 1) throw new TrainingException("new E0s for a multi-head model are not supported (use E0s: foundation)");
        var json = c.ToJson();
        json["atomic_energies"] = new System.Text.Json.Nodes.JsonArray(e0s.Select(e => (System.Text.Json.Nodes.JsonNode?)e).ToArray());
        return MaceConfig.FromJson(json, "the fine-tuned model");
    }

    /// <summary>mace-torch's freeze levels as a predicate on parameter names.</summary>
    private static Func<string, bool>? Frozen(int level) => level <= 0 ? null : name =>
        (level >= 1 && name.StartsWith("node_embedding.", StringComparison.Ordinal))
        || (level >= 5 && name.StartsWith("interactions.", StringComparison.Ordinal))
        || (level >= 6 && name.StartsWith("products.", StringComparison.Ordinal))
        || (level >= 7 && name.StartsWith("readouts.", StringComparison.Ordinal));
}
