namespace MDEngine.Workflows;

/// <summary>A workflow's settings do not fit its inputs (a fixed atom that does not exist, a cell relaxation of a
/// structure that is not periodic): raised before anything is computed or written.</summary>
public sealed class SettingsException(string message) : Exception(message);
