"""StreamField blocks for helpline training modules and their quizzes.

Quiz questions are content: editors write them next to the module. Each question and each
choice carries a stable block id, which is what attempts store and grading reads. Templates
for questions never see which choices are correct: the quiz form is built from
``courses.quiz.QuizQuestion`` objects that leave that out."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A self-hosted video file, or a plain link to one elsewhere. Nothing is embedded from a
    third party: a link opens only when the volunteer chooses to follow it."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    video_file = DocumentChooserBlock(
        label=_("Video file (self-hosted)"), required=False, help_text=_("MP4 or WebM upload.")
    )
    link = blocks.URLBlock(
        label=_("Link to the video elsewhere"),
        required=False,
        help_text=_("Shown as a link; the video is not loaded into the page."),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), required=False, features=RICH_TEXT_FEATURES
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def clean(self, value):
        cleaned = super().clean(value)
        if not cleaned.get("video_file") and not cleaned.get("link"):
            raise StructBlockValidationError(
                block_errors={"video_file": ValidationError(_("Upload a file or give a link."))}
            )
        return cleaned


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning"))],
        default="tip",
    )
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class PhrasePairBlock(blocks.StructBlock):
    say = blocks.CharBlock(label=_("Say this"), max_length=400)
    avoid = blocks.CharBlock(label=_("Avoid saying"), max_length=400)
    why = blocks.CharBlock(label=_("Why"), required=False, max_length=600)


class PhrasePairsBlock(blocks.StructBlock):
    pairs = blocks.ListBlock(PhrasePairBlock(), label=_("Phrase pairs"))

    class Meta:
        icon = "list-ul"
        label = _("Say this / avoid saying")
        template = "courses/blocks/phrase_pairs.html"


class DialogueLineBlock(blocks.StructBlock):
    speaker = blocks.ChoiceBlock(
        label=_("Speaker"),
        choices=[("caller", _("Caller")), ("volunteer", _("Volunteer"))],
    )
    text = blocks.TextBlock(label=_("Line"))


class DialogueBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    lines = blocks.ListBlock(DialogueLineBlock(), label=_("Lines"))

    class Meta:
        icon = "openquote"
        label = _("Example dialogue")
        template = "courses/blocks/dialogue.html"


class ReflectionBlock(blocks.StructBlock):
    """A prompt for the volunteer's private notes; the notes are stored for them only."""

    prompt = blocks.TextBlock(label=_("Prompt"))

    class Meta:
        icon = "edit"
        label = _("Reflection prompt")
        template = "courses/blocks/reflection.html"


class ModuleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    phrases = PhrasePairsBlock()
    dialogue = DialogueBlock()
    reflection = ReflectionBlock()


# --- Quiz questions ----------------------------------------------------------------------


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.TextBlock(
        label=_("Feedback"), required=False, help_text=_("Why this answer helps or does not.")
    )


class BaseQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Answers"), min_num=2)
    explanation = blocks.TextBlock(
        label=_("Explanation"), required=False, help_text=_("Shown in the review.")
    )

    # How many correct choices the question type allows: (minimum, maximum or None).
    correct_range: tuple[int, int | None] = (1, 1)

    def clean(self, value):
        cleaned = super().clean(value)
        correct = sum(1 for choice in cleaned["choices"] if choice["correct"])
        low, high = self.correct_range
        if correct < low or (high is not None and correct > high):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(self.correct_count_message())}
            )
        return cleaned

    def correct_count_message(self):
        return _("Mark exactly one answer as correct.")


class SingleChoiceQuestionBlock(BaseQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleResponseQuestionBlock(BaseQuestionBlock):
    correct_range = (1, None)

    def correct_count_message(self):
        return _("Mark at least one answer as correct.")

    class Meta:
        icon = "tick-inverse"
        label = _("Multiple response")
        help_text = _(
            "Partial credit: each correct answer chosen earns a share, each wrong answer "
            "chosen takes a share away; never below zero."
        )


class TrueFalseQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Statement"))
    answer = blocks.BooleanBlock(label=_("The statement is true"), required=False)
    feedback_true = blocks.TextBlock(label=_("Feedback when answering 'true'"), required=False)
    feedback_false = blocks.TextBlock(label=_("Feedback when answering 'false'"), required=False)
    explanation = blocks.TextBlock(label=_("Explanation"), required=False)

    class Meta:
        icon = "help"
        label = _("True or false")


class ScenarioQuestionBlock(BaseQuestionBlock):
    caller_says = blocks.TextBlock(label=_("The caller says"))

    class Meta:
        icon = "group"
        label = _("Scenario")
        help_text = _(
            "A caller's words and possible responses; give each response feedback on why it "
            "does or does not show active listening."
        )


class QuizQuestionsBlock(blocks.StreamBlock):
    single = SingleChoiceQuestionBlock()
    multiple = MultipleResponseQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    scenario = ScenarioQuestionBlock()
