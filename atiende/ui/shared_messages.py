"""Messages that both Django and Django REST framework translate, in our own words.

Apps' catalogs outrank Django's own, so with the API installed a form's "This field is
required." would read as DRF says it («Este campo es requerido»). Listing them here puts
them in our catalog, which outranks both, so forms and the API say the same thing."""

from django.utils.translation import gettext_noop

SHARED_WITH_DJANGO = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
)
