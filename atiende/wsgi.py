import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atiende.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL map, the templates' code) lives as
# long as the process: moved out of the collector's reach, a full garbage collection in
# the middle of a request scans only what requests made, and workers forked from a
# preloading master keep sharing those pages instead of copying them when it runs.
gc.freeze()
