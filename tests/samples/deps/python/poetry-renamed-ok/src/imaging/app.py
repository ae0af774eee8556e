import importlib

import attr
import cv2
import jwt
from bs4 import BeautifulSoup
from dateutil import parser as dateparser
from dotenv import load_dotenv
from google.cloud import storage
from google.protobuf import json_format
from PIL import Image
from sklearn.cluster import KMeans
from starlette.applications import Starlette

from imaging.util import helper

load_dotenv()
app = Starlette()
codec = importlib.import_module("json")
plugin = __import__("imaging.util")
