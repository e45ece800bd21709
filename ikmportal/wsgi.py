import os

from django.core.wsgi import get_wsgi_application

from ikmportal.serving import prepare_web_process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikmportal.settings")
application = get_wsgi_application()
prepare_web_process()
