namespace Pipeline.Extraction;

/// <summary>Which named-entity tagger the extractor runs.</summary>
public enum ExtractionModel
{
    /// <summary>The two-stage averaged perceptron (<see cref="Ner.NerTagger"/>): the default.</summary>
    Fast,

    /// <summary>The BiLSTM-CNN-CRF (<see cref="Ner.NeuralTagger"/>): more accurate, slower.</summary>
    Accurate,
}

/// <summary>Settings of the extract stage. Section <c>Extraction</c>.</summary>
public sealed class ExtractionOptions
{
    public const string SectionName = "Extraction";

    /// <summary><c>fast</c> (the default) or <c>accurate</c>; see <see cref="ExtractionModel"/>.</summary>
    public string? Model { get; set; }

    /// <summary>What <see cref="Model"/> may be, for error messages.</summary>
    public const string ModelChoices = "'fast' or 'accurate'";

    /// <summary>The model a setting names, case-insensitively; none (null or blank) is the fast one.</summary>
    public static bool TryParseModel(string? value, out ExtractionModel model)
    {
        model = ExtractionModel.Fast;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        switch (value.Trim().ToLowerInvariant())
        {
            case "fast":
                return true;
            case "accurate":
                model = ExtractionModel.Accurate;
                return true;
            default:
                return false;
        }
    }

    /// <summary><see cref="TryParseModel"/>, throwing an <see cref="ArgumentException"/> that names the choices.</summary>
    public static ExtractionModel ParseModel(string? value, string settingName) =>
        TryParseModel(value, out var model)
            ? model
            : throw new ArgumentException($"{settingName} must be {ModelChoices}, not '{value}'.", settingName);
}
