using MDEngine.Structures;

namespace MDEngine.Workflows;

/// <summary>A structure with the name a report gives it (its file, and frame where the file holds several).</summary>
public sealed record LabeledStructure(string Label, Structure Structure);
